// A real Dovecot IMAP server for tests: Debian's dovecot-imapd run as the current user in a temporary directory.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";

const DOVECOT = "/usr/sbin/dovecot";

export interface DovecotServer {
  port: number;
  user: string;
  password: string;
  /** imap://user:password@127.0.0.1:port/ — what the fetcher is given. */
  url: string;
  /** Puts one raw message into INBOX with IMAP APPEND (unseen). */
  appendRaw(raw: string | Buffer): Promise<void>;
  /** INBOX's messages in UID order, with whether each is \Seen. */
  messages(): Promise<{ uid: number; seen: boolean }[]>;
  stop(): Promise<void>;
}

export type DovecotStart = DovecotServer | { skip: string };

/** `idle: false` hides IDLE from the capability list, as a server without it would (the fetcher then polls). */
export async function startDovecot(opts: { idle?: boolean } = {}): Promise<DovecotStart> {
  if (!existsSync(DOVECOT)) return { skip: `${DOVECOT} is missing (apt-get install dovecot-imapd; .ci/run installs it)` };
  const dir = mkdtempSync(path.join(os.tmpdir(), "switchboard-dovecot-"));
  const port = await freePort();
  const user = "fetcher";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  try {
    writeConfig(dir, port, user, password, opts.idle ?? true);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `cannot configure dovecot: ${String(error)}` };
  }

  const child = spawn(DOVECOT, ["-F", "-c", path.join(dir, "dovecot.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill("SIGKILL"); // never leave a server behind a crashed test process
  process.once("exit", killOnExit);

  if (!(await listening(port, child, 10_000))) {
    child.kill("SIGKILL");
    await exited;
    const log = readLog(dir);
    rmSync(dir, { recursive: true, force: true });
    return { skip: `dovecot did not start: ${(output + log).trim().slice(0, 800)}` };
  }

  let appender: ImapFlow | undefined;
  const connect = async () => {
    const client = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
    client.on("error", () => {});
    await client.connect();
    return client;
  };
  return {
    port,
    user,
    password,
    url: `imap://${user}:${password}@127.0.0.1:${port}/`,
    async appendRaw(raw) {
      if (!appender?.usable) appender = await connect();
      await appender.append("INBOX", raw, []);
    },
    async messages() {
      const client = await connect();
      try {
        await client.mailboxOpen("INBOX", { readOnly: true });
        const all = await client.fetchAll("1:*", { uid: true, flags: true });
        return all.map((m) => ({ uid: m.uid, seen: m.flags?.has("\\Seen") ?? false })).sort((a, b) => a.uid - b.uid);
      } catch (error) {
        if (/Invalid messageset|No matching messages/i.test(String(error))) return [];
        throw error;
      } finally {
        await client.logout().catch(() => client.close());
      }
    },
    async stop() {
      await appender?.logout().catch(() => appender?.close());
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      process.off("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A minimal configuration: plaintext login over 127.0.0.1 only, one user from a passwd-file, a Maildir, and every
 * runtime path inside `dir`. Dovecot 2.3 (Debian 12) runs its login, auth and internal processes as the user named
 * here. As root, imap-login refuses to run as root ("This process must not be run as root"), so it runs as Debian's
 * dovenull and the internal processes as dovecot (both created by the package), and mail as root needs
 * `first_valid_uid = 0`. As another user everything runs as that user (it cannot change users anyway).
 */
function writeConfig(dir: string, port: number, user: string, password: string, idle: boolean): void {
  const me = os.userInfo();
  const isRoot = me.uid === 0;
  // Dovecot refuses uid 0 for mail ("userdb returned 0 as uid"): as root, the mail belongs to the dovecot user.
  const uid = isRoot ? idOf("dovecot", "/etc/passwd") : me.uid;
  const gid = isRoot ? idOf("dovecot", "/etc/group") : me.gid;
  const loginUser = isRoot ? "dovenull" : me.username;
  const internalUser = isRoot ? "dovecot" : me.username;
  const internalGroup = isRoot ? "dovecot" : (nameOf(gid, "/etc/group") ?? me.username);
  // The login and internal users must reach the sockets under base_dir.
  chmodSync(dir, 0o755);
  for (const sub of ["run", "state", "home"]) mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o755 });
  if (isRoot) chownSync(path.join(dir, "home"), uid, gid);
  writeFileSync(path.join(dir, "passwd"), `${user}:{PLAIN}${password}:${uid}:${gid}::${path.join(dir, "home")}\n`, { mode: 0o644 }); // read by the auth process (a test-only password)
  const conf = `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${loginUser}
default_internal_user = ${internalUser}
default_internal_group = ${internalGroup}
first_valid_uid = ${uid}
first_valid_gid = ${gid}
mail_location = maildir:~/Maildir
${idle ? "" : "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE NAMESPACE UNSELECT CHILDREN UIDPLUS ESEARCH LITERAL+"}
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    user = ${internalUser}
  }
  unix_listener stats-writer {
    user = ${internalUser}
  }
}
`;
  writeFileSync(path.join(dir, "dovecot.conf"), conf);
}

/** A name's id in /etc/passwd or /etc/group. */
function idOf(name: string, file: string): number {
  const line = readFileSync(file, "utf8").split("\n").find((l) => l.split(":")[0] === name);
  if (!line) throw new Error(`no ${name} in ${file} (is dovecot-core installed?)`);
  return Number(line.split(":")[2]);
}

/** An id's name in /etc/passwd or /etc/group. */
function nameOf(id: number, file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").split("\n").find((l) => l.split(":")[2] === String(id))?.split(":")[0];
  } catch {
    return undefined;
  }
}

function readLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, "dovecot.log"), "utf8");
  } catch {
    return "";
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits for the IMAP greeting on the port (or the child's exit). */
async function listening(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.setTimeout(1000);
      socket.once("data", (d) => (socket.destroy(), resolve(d.toString().startsWith("* OK"))));
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => (socket.destroy(), resolve(false)));
    });
    if (greeted) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
