namespace Rewind.Core.Configuration;

internal static partial class ConfigValidator
{
    /// <summary>An https:// listener and <c>server.tls</c> go together; the files themselves are checked when read.</summary>
    private static void ValidateTls(ServerConfig server, Uri? listen, Action<object, string?, string> add)
    {
        if (listen?.Scheme == Uri.UriSchemeHttps && server.Tls is null)
        {
            add(server, "listen", "server.listen: https:// needs server.tls.certificate and server.tls.key (PEM files)");
        }

        if (server.Tls is not { } tls)
        {
            return;
        }

        if (listen?.Scheme == Uri.UriSchemeHttp)
        {
            add(server, "tls", "server.tls: only with an https:// server.listen; this one is http://, so the certificate would not be used");
        }

        if (string.IsNullOrWhiteSpace(tls.Certificate))
        {
            add(tls, "certificate", "server.tls.certificate: required, the server certificate's PEM file");
        }

        if (string.IsNullOrWhiteSpace(tls.Key))
        {
            add(tls, "key", "server.tls.key: required, the PEM file of the certificate's private key");
        }
    }
}
