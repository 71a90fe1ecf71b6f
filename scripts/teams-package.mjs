// `npm run teams:package`: builds dist/teams-app.zip (manifest + icons) for upload to Teams; `--icons` redraws the icons.
// Values come from MICROSOFT_APP_ID and PUBLIC_URL (environment or .env). No dependencies: PNG and ZIP are written by hand.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifestDir = path.join(root, "manifest", "teams");

if (process.argv.includes("--icons")) {
  writeIcons();
} else {
  buildPackage();
}

function buildPackage() {
  if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
  const appId = process.env.MICROSOFT_APP_ID?.trim() ?? "";
  const publicUrl = process.env.PUBLIC_URL?.trim() ?? "";
  const problems = [];
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) problems.push("MICROSOFT_APP_ID: must be the bot's Microsoft App ID (a GUID)");
  let host = "";
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== "https:") problems.push("PUBLIC_URL: must start with https:// (Teams calls the bot over HTTPS)");
    host = url.host;
  } catch {
    problems.push("PUBLIC_URL: must be the public https:// address of Switchboard, e.g. https://switchboard.example.com");
  }
  if (problems.length) {
    console.error(`Cannot build the Teams package:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  const manifest = readFileSync(path.join(manifestDir, "manifest.json"), "utf8").replaceAll("{{MICROSOFT_APP_ID}}", appId).replaceAll("{{PUBLIC_HOST}}", host);
  const leftover = manifest.match(/\{\{[A-Z_]+\}\}/);
  if (leftover) {
    console.error(`manifest.json has a placeholder this script does not fill: ${leftover[0]}`);
    process.exit(1);
  }
  JSON.parse(manifest);
  const zip = zipFiles([
    { name: "manifest.json", data: Buffer.from(manifest, "utf8") },
    { name: "color.png", data: readFileSync(path.join(manifestDir, "color.png")) },
    { name: "outline.png", data: readFileSync(path.join(manifestDir, "outline.png")) },
  ]);
  const out = path.join(root, "dist", "teams-app.zip");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zip);
  console.log(`Wrote ${path.relative(root, out)} for bot ${appId} at https://${host}/api/messages (${zip.length} bytes). Upload it in Teams: Apps → Manage your apps → Upload an app.`);
}

/**
 * The fields a local file header (from byte 4) and a central directory entry (from byte 6) share, in the same order:
 * version needed, flags (UTF-8 names), method (deflate), time, date, CRC-32, compressed size, size, name length.
 */
function writeEntryFields(buf, at, { time, date, crc, packedSize, size, nameLength }) {
  buf.writeUInt16LE(20, at);
  buf.writeUInt16LE(0x0800, at + 2);
  buf.writeUInt16LE(8, at + 4);
  buf.writeUInt16LE(time, at + 6);
  buf.writeUInt16LE(date, at + 8);
  buf.writeUInt32LE(crc, at + 10);
  buf.writeUInt32LE(packedSize, at + 14);
  buf.writeUInt32LE(size, at + 18);
  buf.writeUInt16LE(nameLength, at + 22);
}

/** A minimal ZIP (deflate, no extras) as Teams' app upload accepts it. */
function zipFiles(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const { time, date } = dosTime(new Date());
  for (const file of files) {
    const name = Buffer.from(file.name, "utf8");
    const packed = zlib.deflateRawSync(file.data, { level: 9 });
    const crc = zlib.crc32(file.data);
    const entry = { time, date, crc, packedSize: packed.length, size: file.data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, entry);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    writeEntryFields(central, 6, entry);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function dosTime(d) {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * The icons Teams requires: color.png 192×192 (full-bleed background) and outline.png 32×32
 * (white on transparent). The motif: three patch cords on a switchboard (a jack and a line each).
 */
function writeIcons() {
  const accent = [0x1f, 0x6f, 0xeb, 255];
  const white = [255, 255, 255, 255];
  const clear = [0, 0, 0, 0];
  writeFileSync(path.join(manifestDir, "color.png"), png(192, 192, (x, y) => (insideMotif(x / 192, y / 192, 0.2) ? white : accent)));
  writeFileSync(path.join(manifestDir, "outline.png"), png(32, 32, (x, y) => (insideMotif((x + 0.5) / 32, (y + 0.5) / 32, 0.08) ? white : clear)));
  console.log("Wrote manifest/teams/color.png (192×192) and manifest/teams/outline.png (32×32).");
}

/** Three rows, each a round jack on the left and a bar to the right, inside a margin (fractions of the size). */
function insideMotif(u, v, margin) {
  const inner = 1 - 2 * margin;
  for (const row of [0.2, 0.5, 0.8]) {
    const cy = margin + row * inner;
    const cx = margin + 0.14 * inner;
    const r = 0.11 * inner;
    if ((u - cx) ** 2 + (v - cy) ** 2 <= r * r) return true;
    const half = 0.045 * inner;
    if (u >= cx && u <= margin + inner && Math.abs(v - cy) <= half) return true;
  }
  return false;
}

/** An 8-bit RGBA PNG: signature, IHDR, one IDAT (zlib), IEND; each chunk with its CRC-32. */
function png(width, height, pixel) {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const start = y * (width * 4 + 1);
    rows[start] = 0;
    for (let x = 0; x < width; x++) Buffer.from(pixel(x, y)).copy(rows, start + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body), 0);
  return Buffer.concat([length, body, crc]);
}
