using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rewind.Cli.Commands;

/// <summary>
/// How the CLI verifies an https:// server: by the system's trust store, or, with <c>--ca FILE</c> (or REWIND_CA), by
/// exactly the CA certificates in that PEM file. The host name is checked either way, and there is no way to skip the
/// check. A refused certificate is remembered as one sentence (which host, and why) for the error line.
/// </summary>
internal sealed class ServerTrust
{
    private readonly X509Certificate2Collection? _roots;
    private readonly string? _source;

    private ServerTrust(X509Certificate2Collection? roots, string? source)
    {
        _roots = roots;
        _source = source;
    }

    /// <summary>Why the server's certificate was refused, or null if it was not (or not asked for).</summary>
    public string? Refusal { get; private set; }

    public static ServerTrust SystemStore() => new(null, null);

    /// <summary>The CA certificates in <paramref name="file"/>, or null with the reason in <paramref name="error"/>.</summary>
    public static ServerTrust? FromFile(string file, string source, out string? error)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error = $"{source} {file}: cannot read a CA certificate: {ex.Message}";
            return null;
        }

        error = roots.Count == 0 ? $"{source} {file}: not a PEM certificate (no -----BEGIN CERTIFICATE----- block)" : null;
        return error is null ? new ServerTrust(roots, $"{source} {file}") : null;
    }

    /// <summary>A handler that checks the certificate of <paramref name="server"/> (as the user wrote it, for the error line).</summary>
    public HttpMessageHandler CreateHandler(string server, Uri address) => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = _roots is null ? null : CustomRoots(_roots),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                Refusal = $"cannot verify the Rewind server at {server}: {Why(address.IdnHost, certificate as X509Certificate2, chain, errors)}";
                return false;
            },
        },
    };

    private static X509ChainPolicy CustomRoots(X509Certificate2Collection roots)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    private string Why(string host, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "it sent no certificate";
        }

        var status = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
        if (status.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            var outdated = chain!.ChainElements.FirstOrDefault(e => e.ChainElementStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotTimeValid)))?.Certificate ?? certificate;
            var which = outdated.Thumbprint == certificate.Thumbprint ? "its certificate" : "the CA certificate";
            return TimeProvider.System.GetUtcNow() < new DateTimeOffset(outdated.NotBefore)
                ? $"{which} ({outdated.Subject}) is not valid before {Utc(outdated.NotBefore)}"
                : $"{which} ({outdated.Subject}) expired on {Utc(outdated.NotAfter)}";
        }

        if (status.HasFlag(X509ChainStatusFlags.UntrustedRoot) || status.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return _source is null
                ? $"its certificate ({certificate.Subject}, issued by {certificate.Issuer}) is not trusted by this system; pass --ca FILE (or set REWIND_CA) with the CA that signed it"
                : $"its certificate ({certificate.Subject}, issued by {certificate.Issuer}) is not signed by the CA in {_source}";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"its certificate is not for {host} (it names {Names(certificate)})";
        }

        var details = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList() ?? [];
        return $"its certificate ({certificate.Subject}) is refused: {(details.Count > 0 ? string.Join("; ", details) : errors.ToString())}";
    }

    private static string Names(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames().Concat(e.EnumerateIPAddresses().Select(a => a.ToString())))
            .ToList();
        return names.Count > 0 ? string.Join(", ", names) : certificate.Subject;
    }

    private static string Utc(DateTime time) => Output.Render.Time(new DateTimeOffset(time.ToUniversalTime()));
}
