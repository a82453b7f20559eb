using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace Rewind.Server.Dashboard;

/// <summary>
/// The dashboard's files (HTML, CSS, JavaScript modules, icon), embedded in this assembly under <c>ui/</c> and read once.
/// Each has a strong ETag from its content, so a browser revalidates with one small 304 and never runs stale code.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "ui/";

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[Prefix.Length..].Replace('\\', '/');
            assets[path] = new Asset(bytes, ContentType(path), $"\"{WebEncoders.Base64UrlEncode(SHA256.HashData(bytes))[..22]}\"");
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public Asset? Find(string path) => _assets.GetValueOrDefault(path);

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    internal sealed record Asset(byte[] Content, string ContentType, string ETag);
}
