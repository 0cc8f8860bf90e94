"""Faults to run the site against: a server that accepts connections, reads the requests and
never answers (a hanging Redis or Elasticsearch). Used by `make probe` and by the tests."""

import socket
import threading


class SilentServer:
    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.requests = 0  # HTTP requests read (request lines)
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection):
        try:
            while data := connection.recv(65536):
                self.requests += data.count(b" HTTP/1.1\r\n")
        except OSError:
            pass

    def close(self):
        for connection in [self.listener, *self.connections]:
            connection.close()
