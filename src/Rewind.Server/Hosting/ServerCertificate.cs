using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rewind.Core.Configuration;

namespace Rewind.Server.Hosting;

/// <summary>
/// The certificate of an https:// listener, read from the PEM files of <c>server.tls</c>, or every reason it cannot
/// serve, each at the line and column of the key that names the file: unreadable, not PEM, an encrypted key, a key that
/// is not the certificate's, a certificate outside its validity dates. <c>config check</c>, <c>serve</c> and the server
/// itself all read the files the same way, so what passes the check serves.
/// </summary>
public sealed record ServerCertificate(X509Certificate2? Certificate, X509Certificate2Collection Chain, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>Reads and checks the files; no TLS configured is no certificate and no error.</summary>
    public static ServerCertificate Load(RewindConfig config, DateTimeOffset now)
    {
        if (config.Server.Tls is not { } tls)
        {
            return new ServerCertificate(null, [], []);
        }

        var errors = new List<ConfigError>();
        var certificates = ReadCertificates(tls, errors);
        var key = ReadKey(tls, errors);
        if (certificates is not [var leaf, ..] || key is null)
        {
            key?.Dispose();
            return new ServerCertificate(null, [], errors);
        }

        using (key)
        {
            if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                errors.Add(tls.KeyPosition.Error($"server.tls.key: {tls.Key} is not the private key of the certificate in {tls.Certificate} ({leaf.Subject})"));
            }

            if (now < new DateTimeOffset(leaf.NotBefore))
            {
                errors.Add(tls.CertificatePosition.Error($"server.tls.certificate: {leaf.Subject} is not valid before {Utc(leaf.NotBefore)}"));
            }
            else if (now > new DateTimeOffset(leaf.NotAfter))
            {
                errors.Add(tls.CertificatePosition.Error($"server.tls.certificate: {leaf.Subject} expired on {Utc(leaf.NotAfter)}"));
            }

            if (errors.Count > 0)
            {
                return new ServerCertificate(null, [], errors);
            }

            var withKey = key switch
            {
                RSA rsa => leaf.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => leaf.CopyWithPrivateKey(ecdsa),
                _ => throw new InvalidOperationException("ReadKey answers RSA or ECDsa only"),
            };
            return new ServerCertificate(withKey, [.. certificates.Skip(1)], []);
        }
    }

    private static X509Certificate2[]? ReadCertificates(TlsConfig tls, List<ConfigError> errors)
    {
        if (ReadText(tls.Certificate, "server.tls.certificate", tls.CertificatePosition, errors) is not { } text)
        {
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException ex)
        {
            errors.Add(tls.CertificatePosition.Error($"server.tls.certificate: {tls.Certificate} holds an unreadable certificate: {ex.Message}"));
            return null;
        }

        if (certificates.Count == 0)
        {
            errors.Add(tls.CertificatePosition.Error($"server.tls.certificate: {tls.Certificate} is not a PEM certificate (no -----BEGIN CERTIFICATE----- block)"));
            return null;
        }

        return [.. certificates];
    }

    /// <summary>The key as RSA or ECDsa (what TLS servers use), or null with the reason added.</summary>
    private static AsymmetricAlgorithm? ReadKey(TlsConfig tls, List<ConfigError> errors)
    {
        if (ReadText(tls.Key, "server.tls.key", tls.KeyPosition, errors) is not { } text)
        {
            return null;
        }

        if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) || text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            errors.Add(tls.KeyPosition.Error($"server.tls.key: {tls.Key} is encrypted; give the key unencrypted, in a file only the controller's user can read"));
            return null;
        }

        foreach (var create in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            var key = create();
            try
            {
                key.ImportFromPem(text);
                return key;
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                key.Dispose();
            }
        }

        errors.Add(tls.KeyPosition.Error($"server.tls.key: {tls.Key} is not a PEM private key (RSA or EC: -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"));
        return null;
    }

    private static string? ReadText(string path, string key, ConfigPosition position, List<ConfigError> errors)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > 1024 * 1024)
            {
                errors.Add(position.Error($"{key}: {path} is {info.Length} bytes; a PEM certificate or key is a few kilobytes"));
                return null;
            }

            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(position.Error($"{key}: cannot read {path}: {ex.Message}"));
            return null;
        }
    }

    private static string Utc(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
