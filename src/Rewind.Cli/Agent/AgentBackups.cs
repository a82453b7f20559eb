using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Runtime.Backups;

namespace Rewind.Cli.Agent;

/// <summary>
/// What the agent measures of the backup repositories of the clusters on its host, for the controller's backup signals
/// (<c>backup.rpo</c>…): the controller cannot read a repository on another host. A repository that cannot be read is
/// said as such, never sent as "nothing archived".
/// </summary>
internal static class AgentBackups
{
    /// <summary>The measurements of the components of <paramref name="config"/> on <paramref name="host"/> that declare backups.</summary>
    public static async Task<IReadOnlyList<AgentBackupStateDto>> MeasureAsync(RewindConfig config, string host, CancellationToken cancellationToken)
    {
        var measured = new List<AgentBackupStateDto>();
        foreach (var name in config.Components.Where(c => c.Value.Host == host && c.Value.Backups is not null).Select(c => c.Key))
        {
            var (target, why) = BackupTarget.From(config, name);
            if (target is null)
            {
                measured.Add(new AgentBackupStateDto(name, null, null, why));
                continue;
            }

            try
            {
                if (!target.Repository.IsObjectStorage && !Directory.Exists(target.Repository.Root))
                {
                    measured.Add(new AgentBackupStateDto(name, null, null, $"the backup repository {target.Repository.Root} does not exist on {host}"));
                    continue;
                }

                measured.Add(new AgentBackupStateDto(name, await target.Repository.NewestWalArchivedAsync(cancellationToken), await target.Repository.NewestSetFinishedAsync(cancellationToken)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                measured.Add(new AgentBackupStateDto(name, null, null, $"backup repository {target.Repository.Root} cannot be read on {host}: {ex.Message}"));
            }
        }

        return measured;
    }
}
