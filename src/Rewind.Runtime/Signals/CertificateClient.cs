using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Rewind.Runtime.Signals;

/// <summary>
/// An HTTP client for HTTPS probes that look at the server's certificate themselves (<c>min-cert-days</c>,
/// <c>insecure-skip-verify</c>): it remembers the certificate its last TLS handshake was given. One per endpoint and
/// verification mode, kept for the life of the process like the shared client, so its connections are pooled too.
/// </summary>
internal sealed class CertificateClient
{
    private static readonly ConcurrentDictionary<(string Authority, bool SkipVerify), CertificateClient> Clients = new();

    private readonly bool _skipVerify;
    private ServerCertificate? _last;

    private CertificateClient(bool skipVerify)
    {
        _skipVerify = skipVerify;
        var handler = HttpProbe.CreateHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        Client = HttpProbe.CreateClient(handler);
    }

    public HttpClient Client { get; }

    /// <summary>The certificate of the newest connection, or <see langword="null"/> before the first handshake.</summary>
    public ServerCertificate? Last => Volatile.Read(ref _last);

    public static CertificateClient For(Uri url, bool skipVerify) =>
        Clients.GetOrAdd((url.GetLeftPart(UriPartial.Authority), skipVerify), static key => new CertificateClient(key.SkipVerify));

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Volatile.Write(ref _last, new ServerCertificate("the server", DateTimeOffset.MinValue, "the server sent no certificate"));
            return false;
        }

        using var loaded = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var full = certificate as X509Certificate2 ?? loaded!;
        var subject = full.Subject.Length > 0 ? full.Subject : "the server";
        var notAfter = new DateTimeOffset(full.NotAfter.ToUniversalTime());
        var problem = errors == SslPolicyErrors.None ? null : $"certificate for {subject} not trusted: {Reasons(errors, chain)}";
        Volatile.Write(ref _last, new ServerCertificate(subject, notAfter, problem));
        return problem is null || _skipVerify;
    }

    private static string Reasons(SslPolicyErrors errors, X509Chain? chain)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add("name mismatch");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            reasons.AddRange((chain?.ChainStatus ?? []).Select(s => s.Status switch
            {
                X509ChainStatusFlags.UntrustedRoot => "untrusted root (self-signed?)",
                X509ChainStatusFlags.NotTimeValid => "expired or not yet valid",
                X509ChainStatusFlags.PartialChain => "incomplete chain",
                X509ChainStatusFlags.Revoked => "revoked",
                var other => other.ToString(),
            }).Distinct(StringComparer.Ordinal));
        }

        return reasons.Count > 0 ? string.Join(", ", reasons) : errors.ToString();
    }
}

/// <summary>What a probe keeps of a server certificate: enough to judge and name it, not the certificate itself.</summary>
internal sealed record ServerCertificate(string Subject, DateTimeOffset NotAfter, string? Problem)
{
    /// <summary>Null when the certificate is valid for at least <paramref name="minDays"/> more days, else the reason.</summary>
    public string? CheckDaysLeft(int minDays, DateTimeOffset now)
    {
        var left = (NotAfter - now).TotalDays;
        if (left >= minDays)
        {
            return null;
        }

        var when = NotAfter.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return left >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"certificate for {Subject} expires in {left:0.0} days ({when}), minimum {minDays}")
            : string.Create(CultureInfo.InvariantCulture, $"certificate for {Subject} expired {-left:0.0} days ago ({when}), minimum {minDays}");
    }
}
