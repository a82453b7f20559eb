using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Rewind.Core.Configuration;
using Rewind.Engine;

namespace Rewind.Server.Hosting;

/// <summary>
/// Where Kestrel listens: plain HTTP, or HTTPS with the certificate of <c>server.tls</c> (TLS 1.2 or 1.3, HTTP/1.1 and
/// HTTP/2 by ALPN). A listener that cannot serve as asked stops the start with one sentence, never a stack trace.
/// </summary>
internal static class Listener
{
    public static void Configure(IWebHostBuilder host, RewindConfig config, string listen, DateTimeOffset now)
    {
        var https = Uri.TryCreate(listen, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps;
        host.UseUrls(listen);
        if (!https && config.Server.Tls is null)
        {
            return;
        }

        if (!https)
        {
            throw new RewindStartException($"cannot listen on {listen}: server.tls is set, so the listener must be https://");
        }

        if (config.Server.Tls is null)
        {
            throw new RewindStartException($"cannot listen on {listen}: https:// needs server.tls.certificate and server.tls.key in the config");
        }

        var loaded = ServerCertificate.Load(config, now);
        if (loaded.Errors is [var first, ..])
        {
            throw new RewindStartException(first.ToString());
        }

        host.UseKestrelHttpsConfiguration();
        host.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(options =>
        {
            options.ServerCertificate = loaded.Certificate;
            options.ServerCertificateChain = loaded.Chain;
            options.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        }));
    }
}
