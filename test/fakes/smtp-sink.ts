// A real SMTP server in the test process (smtp-server) that keeps every message it accepts, or refuses recipients.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  from: string;
  to: string[];
  /** The whole RFC 5322 message as received. */
  raw: string;
}

export interface SmtpSink {
  url: string;
  messages: CapturedMail[];
  /** The next RCPT TO is answered with this reply code (e.g. 550, 451), once per call. */
  refuseNext(code: number, text?: string): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: CapturedMail[] = [];
  const refusals: { code: number; text: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      const refusal = refusals.shift();
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const mailFrom = session.envelope.mailFrom;
        messages.push({ from: mailFrom ? mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext: (code, text = code >= 500 ? "mailbox unavailable" : "try again later") => void refusals.push({ code, text }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
