using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Engine.Hosting;

namespace Rewind.Server.Hosting;

/// <summary>
/// Reads the controller's config file again exactly as <c>rewind serve</c> reads it at start (parse, validation, the TLS
/// files it names; the secrets from the environment are read by <see cref="ConfigReloader"/>) and hands it to the engine.
/// The triggers: SIGHUP and the file watch (<see cref="ConfigReloadHostedService"/>) and <c>POST /api/v1/config/reload</c>.
/// </summary>
internal sealed class ConfigReloads(ConfigReloader reloader, ConfigHolder config, RewindServerOptions options, TimeProvider time)
{
    /// <summary>The file this controller reads, or null when it was built from a config in memory (then nothing reloads).</summary>
    public string? File => options.ConfigPath;

    public async Task<ConfigReloadReport> ReloadAsync(string actor, string source, CancellationToken cancellationToken = default)
    {
        var loaded = File is { } path
            ? await LoadAsync(path, cancellationToken)
            : new ConfigResult(null, [new ConfigError("rewind.yaml", 1, 1, "this controller was started from a config in memory, not a file: there is nothing to read again")]);
        return await reloader.ReloadAsync(new ConfigReloadRequest(loaded, File ?? "rewind.yaml", actor, source), cancellationToken);
    }

    /// <summary>What the health answer says about the config: the file, the number in force, the last reload.</summary>
    public ConfigStatusDto Status() => new(File, config.Version.Number, config.LastReload is { } last ? ToDto(last) : null);

    public static ConfigReloadDto ToDto(ConfigReloadReport report) => new(
        report.At,
        report.Actor,
        report.OutcomeName,
        report.Version,
        report.Changes,
        [.. report.NeedsRestart.Select(r => new ConfigSettingDto(r.Key, r.Position.File, r.Position.Line, r.Position.Column))],
        [.. report.Errors.Select(e => new ConfigErrorDto(e.File, e.Line, e.Column, e.Message))]);

    private async Task<ConfigResult> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var loaded = await ConfigFile.LoadAsync(path, cancellationToken);
        if (!loaded.IsValid)
        {
            return loaded;
        }

        var tls = ServerCertificate.Load(loaded.Config!, time.GetUtcNow());
        tls.Certificate?.Dispose();
        return tls.Errors.Count == 0 ? loaded : new ConfigResult(null, tls.Errors);
    }
}
