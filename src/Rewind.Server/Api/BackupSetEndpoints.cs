using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Backups;
using Rewind.Engine.Hosting;
using Rewind.Runtime.Backups;

namespace Rewind.Server.Api;

/// <summary><c>GET /api/v1/components/{name}/backup-sets</c>: what <c>rewind backup list</c> shows, read from the repository.</summary>
internal static class BackupSetEndpoints
{
    public static void MapBackupSetEndpoints(this IEndpointRouteBuilder api) => api.MapGet("/components/{name}/backup-sets", ListAsync);

    private static async Task<Results<Ok<BackupSetsDto>, ProblemHttpResult>> ListAsync(string name, ConfigHolder config, TimeProvider time, CancellationToken cancellationToken)
    {
        if (config.Component(name) is null)
        {
            return Problems.NotFound("unknown component", $"component {name} is not in the config");
        }

        var (target, error) = BackupTarget.From(config.Current, name);
        if (target is null)
        {
            return Problems.NotFound("no backups", error ?? $"{name} has no backups configured");
        }

        var sets = await target.Repository.ListSetsAsync(cancellationToken);
        var wal = await target.Repository.ListWalAsync(cancellationToken);
        var now = time.GetUtcNow();
        DateTimeOffset? newest = wal.Count == 0 ? null : wal.Max(w => w.Archived);
        return TypedResults.Ok(new BackupSetsDto(
            name,
            [.. sets.OrderByDescending(s => s.Finished).Select(s => new BackupSetDto(s.SetId, s.Finished, s.TotalSize, s.TotalStoredSize, s.WalStart, s.WalStop, s.KeyId is not null)
            {
                Type = s.Type == BackupType.Incremental ? "incremental" : "full",
                Parent = s.Parent,
            })],
            wal.Count,
            newest,
            newest is { } at ? Math.Round((now - at).TotalSeconds, 1) : null,
            WalCoverage.Describe(sets, wal, now)));
    }
}
