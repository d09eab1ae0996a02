export { recordOutbox } from './outbox.ts';
export { Webhooks, webhookSignature, wants } from './webhooks.ts';
