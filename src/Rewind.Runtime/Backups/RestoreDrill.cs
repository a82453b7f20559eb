using Rewind.Core.Backups;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Backups;

/// <summary>A full verification: restore into a scratch directory, run the queries, measure, remove it.</summary>
/// <param name="ScratchDirectory">Where the drill restores (a <c>data</c> directory is made inside); removed afterwards.</param>
/// <param name="FetchCommand">As in <see cref="RestoreRequest.FetchCommand"/>.</param>
public sealed record RestoreDrillRequest(string ScratchDirectory, IReadOnlyList<string> FetchCommand)
{
    /// <summary>Default <see cref="RestoreTarget.EndOfWal"/>: the newest state, which measures the recovery point.</summary>
    public RestoreTarget Target { get; init; } = RestoreTarget.EndOfWal;

    public IReadOnlyList<string> VerificationQueries { get; init; } = [];

    public string ConnectionString { get; init; } = "Username=postgres;Database=postgres";

    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>
/// What a drill measured. <see cref="RecoveryTime"/> is the restore's duration (files and WAL replay: the RTO this
/// repository gives today); <see cref="DataLoss"/> is how far the newest restorable commit lies behind the end of the
/// drill (the RPO), <see langword="null"/> when no transaction was replayed.
/// </summary>
public sealed record RestoreDrillResult(RestoreResult Restore, TimeSpan RecoveryTime, TimeSpan? DataLoss)
{
    public bool Succeeded => Restore.Succeeded;

    /// <summary>One line for records and the console: what was restored, in how long, and how far behind.</summary>
    public string Describe() =>
        Succeeded
            ? $"set {Restore.SetId} restored and checked in {Durations.Format(RecoveryTime)} (RTO); newest restorable commit {(DataLoss is { } loss ? Durations.Format(loss) + " behind (RPO)" : "unknown (no transaction replayed)")}"
            : Restore.Message;
}

/// <summary>Restore drills: full verification that a repository restores, with its recovery time and data loss measured.</summary>
public sealed class RestoreDrill
{
    private readonly PointInTimeRestore _restore;
    private readonly TimeProvider _timeProvider;

    public RestoreDrill(PointInTimeRestore restore, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(restore);
        _restore = restore;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async Task<RestoreDrillResult> RunAsync(RestoreDrillRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var data = Path.Combine(request.ScratchDirectory, "data");
        Directory.CreateDirectory(request.ScratchDirectory);
        try
        {
            var result = await _restore.RestoreAsync(
                new RestoreRequest(data, request.Target, request.FetchCommand)
                {
                    SwapIntoPlace = false,
                    VerificationQueries = request.VerificationQueries,
                    ConnectionString = request.ConnectionString,
                    RecoveryTimeout = request.RecoveryTimeout,
                },
                progress: null,
                cancellationToken);
            var dataLoss = result.LastReplayedCommit is { } last ? _timeProvider.GetUtcNow() - last : (TimeSpan?)null;
            return new RestoreDrillResult(result, result.Duration, dataLoss);
        }
        finally
        {
            foreach (var leftover in Directory.EnumerateFileSystemEntries(request.ScratchDirectory, "data.*"))
            {
                if (Directory.Exists(leftover))
                {
                    Directory.Delete(leftover, recursive: true);
                }
                else
                {
                    File.Delete(leftover);
                }
            }
        }
    }
}
