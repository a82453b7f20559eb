using Rewind.Core.Configuration;
using Rewind.Core.Signals;

namespace Rewind.Runtime.Signals;

/// <summary>Runs a probe of any kind by handing it to the probe for its kind.</summary>
public sealed class Prober(HttpProbe http, TcpProbe tcp, CommandProbe command, PostgresProbe postgres) : IProbe
{
    public Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        IProbe runner = config switch
        {
            { Tcp: not null } => tcp,
            { Command: not null } => command,
            { Postgres: not null } => postgres,
            _ => http,
        };
        return runner.RunAsync(component, probe, config, cancellationToken);
    }
}
