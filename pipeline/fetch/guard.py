"""Where a harvest may connect: only public addresses (unless a host is allowed), checked
before connecting and again inside the connection backend, which connects to the checked address
itself, so that a DNS answer that changes between the check and the connection (rebinding) cannot
reach a private network or a cloud metadata service."""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

BLOCKED_NAMES = frozenset({"metadata", "metadata.google.internal", "metadata.goog", "instance-data"})



class BlockedURL(Exception):
    """A URL refused before any connection: scheme, host or address not allowed."""


def ip_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return ip_is_public(embedded)
    return ip.is_global and not ip.is_multicast


class AddressPolicy:
    def __init__(self, allow_private: bool = False, allowed_hosts: Iterable[str] = ()):
        self.allow_private = allow_private
        self.allowed_hosts = frozenset(h.lower().strip("[]") for h in allowed_hosts)

    def exempt(self, host: str) -> bool:
        return self.allow_private or host.lower().strip("[]") in self.allowed_hosts

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for host:port, all checked; BlockedURL if any is refused."""
        host = host.lower().strip("[]").rstrip(".")
        if not host:
            raise BlockedURL("no host")
        exempt = self.exempt(host)
        if not exempt and (host in BLOCKED_NAMES or host == "localhost" or host.endswith(".localhost")):
            raise BlockedURL(f"host {host} refused")
        try:
            ips = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                raise BlockedURL(f"cannot resolve {host}: {exc}") from None
            ips = []
            for info in infos:
                ip = ipaddress.ip_address(info[4][0].split("%")[0])
                if ip not in ips:
                    ips.append(ip)
        if not ips:
            raise BlockedURL(f"no address for {host}")
        if not exempt:
            bad = [str(ip) for ip in ips if not ip_is_public(ip)]
            if bad:
                raise BlockedURL(f"address {', '.join(bad)} of {host} refused (not a public address)")
        return [str(ip) for ip in ips]

    def check_url(self, url: str) -> None:
        """Scheme and host address of a URL; BlockedURL before anything is connected."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise BlockedURL(f"malformed URL {url!r}: {exc}") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise BlockedURL(f"scheme {scheme or '(none)'!r} refused: only http and https")
        if parts.username or parts.password:
            raise BlockedURL("URL with credentials refused")
        if not parts.hostname:
            raise BlockedURL(f"URL without host: {url!r}")
        self.resolve(parts.hostname, port or (443 if scheme == "https" else 80))


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves and checks the host again at connect time and connects to the checked address."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last: Exception | None = None
        for ip in self.policy.resolve(host, port):  # BlockedURL propagates through httpx as is
            try:
                return super().connect_tcp(ip, port, timeout=timeout, local_address=local_address,
                                           socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last if last else httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover
        raise BlockedURL("unix sockets refused")


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses the guarded backend (no env proxies)."""

    def __init__(self, policy: AddressPolicy, *, limits: httpx.Limits):
        super().__init__(trust_env=False, limits=limits)
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(policy))
