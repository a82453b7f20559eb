namespace Rewind.Core.Configuration;

/// <summary>Resolves relative paths against the config file's directory, so a config means the same from any working directory.</summary>
internal static class ConfigPaths
{
    public static void Resolve(RewindConfig config)
    {
        if (config.Store.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            config.Store = "sqlite:" + Path.GetFullPath(config.Store["sqlite:".Length..], config.BaseDirectory);
        }

        if (config.Server.Tls is { } tls)
        {
            tls.Certificate = Path.GetFullPath(tls.Certificate, config.BaseDirectory);
            tls.Key = Path.GetFullPath(tls.Key, config.BaseDirectory);
        }

        foreach (var component in config.Components.Values)
        {
            if (component.Provider.ReleaseDir is { } releaseDir)
            {
                releaseDir.Path = Path.GetFullPath(releaseDir.Path, config.BaseDirectory);
                if (releaseDir.Restart.Count > 0 && (releaseDir.Restart[0].StartsWith("./", StringComparison.Ordinal) || releaseDir.Restart[0].StartsWith("../", StringComparison.Ordinal)))
                {
                    releaseDir.Restart[0] = Path.GetFullPath(releaseDir.Restart[0], config.BaseDirectory);
                }
            }
        }

        foreach (var component in config.Components.Values)
        {
            ResolvePlan(component, config.BaseDirectory);
        }

        foreach (var drill in config.Drills.Values)
        {
            ResolveDrill(drill, config.BaseDirectory);
        }

        foreach (var channel in config.Notifications.Channels.Values)
        {
            if (channel.Command is { Argv: [var first, ..] } command && (first.StartsWith("./", StringComparison.Ordinal) || first.StartsWith("../", StringComparison.Ordinal)))
            {
                command.Argv[0] = Path.GetFullPath(first, config.BaseDirectory);
            }
        }
    }

    /// <summary>A drill's fault and clear commands, its pid file and its data commands, as a plan's.</summary>
    private static void ResolveDrill(DrillConfig drill, string baseDirectory)
    {
        foreach (var fault in new[] { drill.Fault, drill.Clear }.OfType<DrillFaultConfig>())
        {
            if (fault.Command is { } command)
            {
                command.Dir = Path.GetFullPath(command.Dir ?? ".", baseDirectory);
                ResolveProgram(command.Argv, baseDirectory);
            }

            if (fault.Stop is { PidFile.Length: > 0 } stop)
            {
                stop.PidFile = Path.GetFullPath(stop.PidFile, baseDirectory);
            }
        }

        if (drill.Data is { } data)
        {
            data.Dir = Path.GetFullPath(data.Dir ?? ".", baseDirectory);
            foreach (var argv in new[] { data.Write, data.Read }.OfType<List<string>>())
            {
                ResolveProgram(argv, baseDirectory);
            }
        }
    }

    private static void ResolvePlan(ComponentConfig component, string baseDirectory)
    {
        if (component.Provider.Command is { } provider)
        {
            provider.Dir = Path.GetFullPath(provider.Dir ?? ".", baseDirectory);
            ResolveProgram(provider.Switch, baseDirectory);
        }

        if (component.Provider.Postgres is { } postgres)
        {
            postgres.DataDirectory = string.IsNullOrWhiteSpace(postgres.DataDirectory) ? postgres.DataDirectory : Path.GetFullPath(postgres.DataDirectory, baseDirectory);
        }

        if (component.Backups is { } backups)
        {
            backups.Repository = string.IsNullOrWhiteSpace(backups.Repository) || backups.Repository.StartsWith("s3://", StringComparison.Ordinal)
                ? backups.Repository
                : Path.GetFullPath(backups.Repository, baseDirectory);
            if (backups.S3 is { WorkDirectory: { } work } s3 && !string.IsNullOrWhiteSpace(work))
            {
                s3.WorkDirectory = Path.GetFullPath(work, baseDirectory);
            }

            if (backups.Encryption is { } encryption && !string.IsNullOrWhiteSpace(encryption.KeyFile))
            {
                encryption.KeyFile = Path.GetFullPath(encryption.KeyFile, baseDirectory);
            }

            if (backups.Files is { } fileBackups)
            {
                fileBackups.Paths = [.. fileBackups.Paths.Select(p => string.IsNullOrWhiteSpace(p) ? p : Path.GetFullPath(p, baseDirectory))];
            }
        }

        if (component.Provider.Files is { } files)
        {
            files.Paths = [.. files.Paths.Select(p => string.IsNullOrWhiteSpace(p) ? p : Path.GetFullPath(p, baseDirectory))];
            files.Store = string.IsNullOrWhiteSpace(files.Store) ? files.Store : Path.GetFullPath(files.Store, baseDirectory);
            ResolveProgram(files.Reload, baseDirectory);
        }

        ResolveSteps(component.Plan ?? [], baseDirectory);
        foreach (var policy in component.Policies.Values)
        {
            ResolveSteps(policy.Plan ?? [], baseDirectory);
        }

        ResolveSteps(component.Verify.Smoke, baseDirectory);
    }

    private static void ResolveSteps(List<PlanStepConfig> steps, string baseDirectory)
    {
        foreach (var step in steps)
        {
            foreach (var command in new[] { step.Command, step.CacheFlush?.Command, step.MigrateDown }.OfType<CommandStepConfig>())
            {
                command.Dir = Path.GetFullPath(command.Dir ?? ".", baseDirectory);
                ResolveProgram(command.Argv, baseDirectory);
            }

            if (step.Parallel is { } group)
            {
                ResolveSteps(group, baseDirectory);
            }

            if (step.Batch is { } batch)
            {
                batch.Dir = Path.GetFullPath(batch.Dir ?? ".", baseDirectory);
                ResolveProgram(batch.Argv, baseDirectory);
                if (batch.Members.Command is { } list)
                {
                    ResolveProgram(list, baseDirectory);
                }

                if (batch.Members.File is { } file)
                {
                    batch.Members.File = Path.GetFullPath(file, baseDirectory);
                }
            }

            if ((step.Traffic?.Haproxy ?? step.Maintenance?.Haproxy) is { } haproxy && haproxy.Socket.StartsWith("unix:", StringComparison.Ordinal) && haproxy.Socket.Length > "unix:".Length)
            {
                haproxy.Socket = "unix:" + Path.GetFullPath(haproxy.Socket["unix:".Length..], baseDirectory);
            }
        }
    }

    /// <summary><c>./bin/x</c> and <c>../x</c> as argv[0] mean relative to the config file; a bare name is looked up in PATH.</summary>
    private static void ResolveProgram(List<string> argv, string baseDirectory)
    {
        if (argv is [var first, ..] && (first.StartsWith("./", StringComparison.Ordinal) || first.StartsWith("../", StringComparison.Ordinal)))
        {
            argv[0] = Path.GetFullPath(first, baseDirectory);
        }
    }
}
