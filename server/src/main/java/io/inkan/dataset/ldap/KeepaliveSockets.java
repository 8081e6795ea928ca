package io.inkan.dataset.ldap;

import io.inkan.dataset.DataSetOptions.LdapOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketOption;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket factories that turn on TCP keepalive and apply opendkim.conf's {@code LDAPKeepaliveIdle},
 * {@code LDAPKeepaliveInterval} and {@code LDAPKeepaliveProbes} (OpenLDAP's {@code
 * LDAP_OPT_X_KEEPALIVE_*}) through {@link ExtendedSocketOptions}, so a directory that vanishes
 * without a reset is noticed. A platform without these options keeps its defaults (logged once).
 */
final class KeepaliveSockets {
  private static final Logger LOG = LoggerFactory.getLogger(KeepaliveSockets.class);

  private final int idle;
  private final int interval;
  private final int probes;

  KeepaliveSockets(LdapOptions options) {
    this.idle = options.keepaliveIdle();
    this.interval = options.keepaliveInterval();
    this.probes = options.keepaliveProbes();
  }

  /** Plain sockets (for {@code ldap:}, StartTLS included). */
  SocketFactory plain(SocketFactory delegate) {
    return new Plain(delegate, this);
  }

  /**
   * TLS sockets (for {@code ldaps:} and StartTLS) that check the server's certificate names against
   * the host of the URL during the handshake (JSSE's "LDAPS" endpoint identification, RFC 4513
   * §3.1.3).
   */
  SSLSocketFactory tls(SSLSocketFactory delegate) {
    return new Tls(delegate, this);
  }

  /** Sets the keepalive options on a new socket, connected or not. */
  Socket apply(Socket socket) throws IOException {
    socket.setKeepAlive(true);
    set(socket, ExtendedSocketOptions.TCP_KEEPIDLE, idle);
    set(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, interval);
    set(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, probes);
    return socket;
  }

  private static void set(Socket socket, SocketOption<Integer> option, int value)
      throws IOException {
    if (value <= 0) {
      return;
    }
    if (!socket.supportedOptions().contains(option)) {
      LOG.debug("{} is not supported here; the system default applies", option.name());
      return;
    }
    socket.setOption(option, value);
  }

  /** Turns on host name checking in the handshake of a TLS socket. */
  static Socket identify(Socket socket) {
    if (socket instanceof SSLSocket tls) {
      SSLParameters params = tls.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("LDAPS");
      tls.setSSLParameters(params);
    }
    return socket;
  }

  private static final class Plain extends SocketFactory {
    private final SocketFactory delegate;
    private final KeepaliveSockets options;

    Plain(SocketFactory delegate, KeepaliveSockets options) {
      this.delegate = delegate;
      this.options = options;
    }

    @Override
    public Socket createSocket() throws IOException {
      return options.apply(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return options.apply(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return options.apply(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return options.apply(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return options.apply(delegate.createSocket(address, port, localAddress, localPort));
    }
  }

  private static final class Tls extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final KeepaliveSockets options;

    Tls(SSLSocketFactory delegate, KeepaliveSockets options) {
      this.delegate = delegate;
      this.options = options;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      options.apply(s);
      return identify(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket() throws IOException {
      return identify(options.apply(delegate.createSocket()));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return identify(options.apply(delegate.createSocket(host, port)));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return identify(options.apply(delegate.createSocket(host, port, localHost, localPort)));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return identify(options.apply(delegate.createSocket(host, port)));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return identify(options.apply(delegate.createSocket(address, port, localAddress, localPort)));
    }
  }
}
