namespace Rewind.Core.Configuration;

/// <summary>
/// The server's certificate and private key, PEM files, for <c>server.listen: https://…</c>. Relative paths are from the
/// config file's directory. The files are read and checked (PEM, key matching the certificate, validity dates) by the
/// server project, which reports at the places kept here.
/// </summary>
public sealed class TlsConfig
{
    /// <summary>The server certificate, PEM; intermediate certificates may follow it in the same file. Required.</summary>
    public string Certificate { get; set; } = "";

    /// <summary>The certificate's private key, PEM, unencrypted (PKCS#8, PKCS#1 or SEC 1). Required.</summary>
    public string Key { get; set; } = "";

    /// <summary>Where <see cref="Certificate"/> was written, for errors found when the file is read.</summary>
    public ConfigPosition CertificatePosition { get; internal set; } = ConfigPosition.Unknown;

    /// <summary>Where <see cref="Key"/> was written, for errors found when the file is read.</summary>
    public ConfigPosition KeyPosition { get; internal set; } = ConfigPosition.Unknown;
}

/// <summary>A place in a config file, to report an error found after parsing at the value that caused it.</summary>
public sealed record ConfigPosition(string File, int Line, int Column)
{
    public static ConfigPosition Unknown { get; } = new("rewind.yaml", 1, 1);

    public ConfigError Error(string message) => new(File, Line, Column, message);
}
