import type { Connection } from 'ssh2';

type ServiceRequestHandler = (protocol: unknown, service: string) => void;

/** The parts of ssh2's private protocol object this needs (ssh2 1.x: `client._protocol`). */
interface ProtocolInternals {
  _handlers?: { SERVICE_REQUEST?: ServiceRequestHandler };
  serviceAccept?: (service: string) => void;
}

/**
 * Answers every `SSH_MSG_SERVICE_REQUEST ssh-userauth` before login, as OpenSSH's sshd does
 * (auth2.c accepts it while authentication has not succeeded). ssh2 accepts only the first and
 * disconnects with SERVICE_NOT_AVAILABLE on the next, but paramiko sends one before each attempt:
 * a key it does not know followed by the password, or a retried password, ended the connection.
 * Wraps ssh2's handler on this one connection; anything else (other services, a request after
 * login, one before key exchange) still goes to ssh2. Returns false when ssh2's internals are not
 * where ssh2 1.x keeps them, so an upgrade that moves them is noticed by the tests, not silently.
 */
export function answerRepeatedServiceRequests(client: Connection): boolean {
  const protocol = (client as Connection & { _protocol?: ProtocolInternals })._protocol;
  const handlers = protocol?._handlers;
  const original = handlers?.SERVICE_REQUEST;
  const serviceAccept = protocol?.serviceAccept?.bind(protocol);
  if (!protocol || !handlers || !original || !serviceAccept) return false;
  let userauthAccepted = false;
  protocol.serviceAccept = (service) => {
    if (service === 'ssh-userauth') userauthAccepted = true;
    serviceAccept(service);
  };
  handlers.SERVICE_REQUEST = (self, service) => {
    const loggedIn = (client as Connection & { authenticated?: boolean }).authenticated === true;
    if (userauthAccepted && service === 'ssh-userauth' && !loggedIn) serviceAccept(service);
    else original(self, service);
  };
  return true;
}
