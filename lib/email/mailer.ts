import { type MessageTemplate, type SlotValues } from "@/lib/email/message-template";

/*
 * The delivery port. The campaign engine only knows this interface; SesMailer implements it for real and for the
 * emulator, FailingMailer wraps it for fault-injection tests.
 */

export interface MessageHeader {
  name: string;
  value: string;
}

export interface OutgoingMessage {
  /** Caller's correlation id (the recipient id); echoed in the result. */
  id: string;
  to: string;
  /** RFC 5322 From; the mailer's default sender when absent. */
  from?: string;
  subject: string;
  html: string;
  text: string;
  headers: MessageHeader[];
  /** SES message tags; they come back in SES events (bounce, complaint, delivery) to find the message. */
  tags?: { name: string; value: string }[];
  /**
   * What subject, html and text were filled from (lib/email/message-template.ts). When present, a bulk mailer
   * may install the template once and send only the values; the result is identical.
   */
  templated?: { template: MessageTemplate; values: SlotValues };
}

export type SendResult =
  | { id: string; status: "sent"; providerMessageId: string }
  /** Refused for this message. permanent=false means retrying later may succeed (5xx, account paused). */
  | { id: string; status: "failed"; reason: string; permanent: boolean }
  /** Not sent because of a rate limit or quota; always safe to retry. */
  | { id: string; status: "throttled"; reason: string }
  /** The request may or may not have reached the provider (e.g. a timeout): never retry automatically. */
  | { id: string; status: "unknown"; reason: string };

export interface Mailer {
  /**
   * Sends a batch and answers one result per message, in input order. Failures are results, not exceptions.
   * @throws NothingSentError only when the whole call was refused and no message left; anything else thrown
   *   means the outcome is unknown.
   */
  send(batch: OutgoingMessage[]): Promise<SendResult[]>;
}

/** Thrown by a mailer when it is certain that none of the batch was handed to the provider. */
export class NothingSentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NothingSentError";
  }
}
