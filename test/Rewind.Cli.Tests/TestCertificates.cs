using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rewind.Cli.Tests;

/// <summary>
/// A throwaway CA and server certificates made with <see cref="CertificateRequest"/>, written as PEM files into a
/// directory: what an operator would get from their own CA.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestCertificates(string directory, string caName = "Rewind Test CA")
    {
        Directory = directory;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = TimeProvider.System.GetUtcNow();
        _ca = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        CaPath = Path.Combine(directory, Safe(caName) + ".pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    public string Directory { get; }

    /// <summary>The CA certificate, PEM: what <c>--ca</c> takes.</summary>
    public string CaPath { get; }

    /// <summary>
    /// Writes <c>NAME.pem</c> and <c>NAME.key</c>: a server certificate signed by the CA for <paramref name="names"/>
    /// (IP addresses or DNS names; default 127.0.0.1 and localhost), valid from <paramref name="validFrom"/> days from
    /// now for <paramref name="validDays"/> days.
    /// </summary>
    public (string Certificate, string Key) Issue(string name, string[]? names = null, int validFrom = -1, int validDays = 7)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (var alternative in names ?? ["127.0.0.1", "localhost"])
        {
            if (IPAddress.TryParse(alternative, out var address))
            {
                alternatives.AddIpAddress(address);
            }
            else
            {
                alternatives.AddDnsName(alternative);
            }
        }

        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.Create(_ca, now.AddDays(validFrom), now.AddDays(validFrom + validDays), RandomNumberGenerator.GetBytes(16));
        var paths = (Path.Combine(Directory, name + ".pem"), Path.Combine(Directory, name + ".key"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    public void Dispose() => _ca.Dispose();

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-'));
}
