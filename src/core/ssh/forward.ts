// Local port forwarding (`ssh -L`): a listener on 127.0.0.1 whose every connection is piped through a new
// SSH channel, so pg/mysql/HTTP clients reach a remote host:port as if it were local. Loopback only: the
// tunnel is never offered to the network.

import { createServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface LocalForward {
  host: '127.0.0.1';
  port: number;
  /** Stops listening and cuts the open connections. */
  close(): Promise<void>;
  /** Why the last connection could not be forwarded (for the caller's error message). */
  readonly lastError: string | undefined;
}

export function forwardLocal(open: () => Promise<Duplex>, localPort = 0): Promise<LocalForward> {
  const sockets = new Set<Socket>();
  let lastError: string | undefined;
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.pause();
    open().then(
      (remote) => {
        if (sock.destroyed) {
          remote.destroy();
          return;
        }
        remote.on('error', () => sock.destroy());
        remote.on('close', () => sock.destroy());
        sock.on('close', () => remote.destroy());
        sock.pipe(remote).pipe(sock);
        sock.resume();
      },
      (e: unknown) => {
        lastError = e instanceof Error ? e.message : String(e);
        sock.destroy();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : localPort;
      resolve({
        host: '127.0.0.1',
        port,
        get lastError() {
          return lastError;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
