using System.Globalization;
using Npgsql;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public sealed partial class PointInTimeRestore
{
    /// <summary>Restores files, recovers and verifies into <paramref name="restoring"/>; never touches the live directory.</summary>
    private async Task<RestoreResult> RestoreIntoAsync(BackupManifest manifest, string restoring, RecoverySettings settings, RestoreRequest request, IProgress<RestorePhase>? progress, CancellationToken cancellationToken)
    {
        var owner = _tools.Owner();
        RestoreResult Fail(RestorePhase phase, string message) => new(false, phase, message) { SetId = manifest.SetId };
        long bytes;
        var filesStarted = _timeProvider.GetTimestamp();
        try
        {
            progress?.Report(RestorePhase.RestoringFiles);
            bytes = await RestoreFilesAsync(manifest, restoring, owner, cancellationToken);
            WriteRecoveryFiles(restoring, settings.WithSpool(SpoolOf(restoring)) ?? settings, owner);
        }
        catch (BackupIntegrityException ex)
        {
            return Fail(RestorePhase.RestoringFiles, $"set {manifest.SetId}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(RestorePhase.RestoringFiles, $"cannot restore set {manifest.SetId} into {restoring}: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            TryDelete(restoring);
            throw;
        }

        var restored = new RestoreResult(true, RestorePhase.Completed, $"restored set {manifest.SetId} to {request.Target.Describe()} into {restoring}")
        {
            SetId = manifest.SetId,
            RestoredDirectory = restoring,
            BytesRestored = bytes,
            FilesDuration = _timeProvider.GetElapsedTime(filesStarted),
        };
        await using var spool = settings.WithSpool(SpoolOf(restoring)) is null ? null : await WalSpool.StartAsync(_repository, manifest, SpoolOf(restoring), owner, _timeProvider, cancellationToken);
        return await RecoverAsync(restored, restoring, request, progress, cancellationToken);
    }

    /// <summary>Where WAL is fetched ahead of replay: beside the restored directory, on the same file system.</summary>
    private static string SpoolOf(string restoring) => restoring + ".wal-spool";

    /// <summary>Starts the restored directory, waits for recovery and promotion, runs the checks and stops it again.</summary>
    private async Task<RestoreResult> RecoverAsync(RestoreResult restored, string restoring, RestoreRequest request, IProgress<RestorePhase>? progress, CancellationToken cancellationToken)
    {
        RestoreResult Fail(RestorePhase phase, string message) => restored with { Succeeded = false, Phase = phase, Message = message };
        progress?.Report(RestorePhase.Recovering);
        var recoveryStarted = _timeProvider.GetTimestamp();
        var serverSettings = new Dictionary<string, string>(request.ServerSettings, StringComparer.Ordinal)
        {
            // Keep the restored cluster from archiving until it is the live one: WAL of a restore that is then thrown
            // away must never reach the repository. .ready files stay, and the live server archives them after the swap.
            ["archive_command"] = "",
            ["archive_library"] = "",
        };
        PostgresServer? server = null;
        try
        {
            server = PostgresServer.Start(_tools, _runner, _timeProvider, restoring, serverSettings);
            if (await server.WaitUntilPromotedAsync(request.ConnectionString, request.RecoveryTimeout, cancellationToken) is { } problem)
            {
                await server.StopAsync(immediate: true);
                return Fail(RestorePhase.Recovering, $"recovery of set {restored.SetId} to {request.Target.Describe()} failed: {problem}; {LastFatal(server.Log)}") with { ServerLog = server.Log };
            }

            var recoveryDuration = _timeProvider.GetElapsedTime(recoveryStarted);
            progress?.Report(RestorePhase.Verifying);
            var checks = await RunChecksAsync(server, request, cancellationToken);
            var lastCommit = await LastReplayedCommitAsync(server, request, cancellationToken);
            await server.StopAsync();
            if (checks.FirstOrDefault(check => !check.Passed) is { } failed)
            {
                return Fail(RestorePhase.Verifying, $"verification query failed: {failed.Query}: {failed.Result}") with { Checks = checks };
            }

            RemoveRecoverySettings(restoring);
            return restored with { RecoveryDuration = recoveryDuration, Checks = checks, LastReplayedCommit = lastCommit };
        }
        catch (IOException ex)
        {
            return Fail(RestorePhase.Recovering, $"cannot run the restored server: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            if (server is not null)
            {
                await server.StopAsync(immediate: true);
            }

            TryDelete(restoring);
            throw;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static void WriteRecoveryFiles(string restoring, RecoverySettings settings, UnixOwner? owner)
    {
        var autoConf = Path.Combine(restoring, "postgresql.auto.conf");
        var existing = File.Exists(autoConf) ? File.ReadAllText(autoConf) : "";
        File.WriteAllText(autoConf, settings.ApplyTo(existing));
        var signal = Path.Combine(restoring, "recovery.signal");
        File.WriteAllBytes(signal, []);
        foreach (var path in new[] { autoConf, signal })
        {
            FileSystem.SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (owner is { } user)
            {
                FileSystem.Chown(path, user);
            }
        }
    }

    /// <summary>Recovery is over (recovery.signal is gone): the settings would only confuse a later restore of this cluster's backups.</summary>
    private static void RemoveRecoverySettings(string restoring)
    {
        // Truncating and rewriting in place keeps the file's owner and mode.
        var autoConf = Path.Combine(restoring, "postgresql.auto.conf");
        File.WriteAllText(autoConf, RecoverySettings.RemoveFrom(File.ReadAllText(autoConf)));
    }

    private static async Task<IReadOnlyList<RestoreCheck>> RunChecksAsync(PostgresServer server, RestoreRequest request, CancellationToken cancellationToken)
    {
        var checks = new List<RestoreCheck>();
        foreach (var query in request.VerificationQueries)
        {
            try
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString(request.ConnectionString));
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(query, connection);
                var value = await command.ExecuteScalarAsync(cancellationToken);
                var text = value is null or DBNull ? "null" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
                checks.Add(new RestoreCheck(query, value is not (null or DBNull or false), text));
            }
            catch (NpgsqlException ex)
            {
                checks.Add(new RestoreCheck(query, false, ex.Message));
            }
        }

        return checks;
    }

    private static async Task<DateTimeOffset?> LastReplayedCommitAsync(PostgresServer server, RestoreRequest request, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(request.ConnectionString));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select pg_last_xact_replay_timestamp()", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(at.ToUniversalTime()) : null;
    }

    /// <summary>Stops servers left running on restores a killed process left behind, and removes those directories.</summary>
    private async Task RemoveLeftoversAsync(string dataDirectory)
    {
        var parent = Path.GetDirectoryName(dataDirectory)!;
        var prefix = Path.GetFileName(dataDirectory) + ".restoring-";
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateDirectories(parent, prefix + "*"))
        {
            if (DataDirectorySwap.RunningPostmaster(leftover) is not null)
            {
                await _runner.RunAsync(new Processes.ProcessRequest(_tools.Command("pg_ctl", "stop", "-D", leftover, "-m", "immediate", "-w", "-t", "60"), null, TimeSpan.FromSeconds(70)), CancellationToken.None);
            }

            TryDelete(leftover);
            LogLeftoverRemoved(_logger, leftover);
        }
    }

    /// <summary>
    /// The server's FATAL or PANIC line that says why recovery stopped (e.g. "recovery ended before configured recovery
    /// target was reached"), skipping the ones our own connection attempts cause while it starts or stops.
    /// </summary>
    private static string LastFatal(string log) =>
        log.Split('\n').LastOrDefault(line => (line.Contains("FATAL:", StringComparison.Ordinal) || line.Contains("PANIC:", StringComparison.Ordinal))
            && !line.Contains("the database system is", StringComparison.Ordinal))?.Trim()
        ?? "see the server log";
}
