using Rewind.Core.Configuration;
using Rewind.Server.Hosting;

namespace Rewind.Cli.Commands;

/// <summary>
/// What only <c>config check</c> and <c>serve</c> look at beyond the config's text: the TLS certificate and key files.
/// Other commands that read the config (backups, access) must work during an incident even with an expired certificate.
/// </summary>
internal static class ServerFiles
{
    public static ConfigResult Check(ConfigResult result)
    {
        if (!result.IsValid)
        {
            return result;
        }

        var loaded = ServerCertificate.Load(result.Config!, TimeProvider.System.GetUtcNow());
        loaded.Certificate?.Dispose();
        return loaded.Errors.Count == 0 ? result : new ConfigResult(null, loaded.Errors);
    }
}
