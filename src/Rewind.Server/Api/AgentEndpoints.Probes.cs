using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Signals;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;
using Rewind.Server.Access;
using Rewind.Server.Hosting;

namespace Rewind.Server.Api;

/// <summary>The probes a host's agent runs (<c>GET /api/v1/agent/probes</c>) and the samples it sends of them (<c>POST /api/v1/agent/samples</c>).</summary>
internal static partial class AgentEndpoints
{
    private static readonly JsonSerializerOptions s_probeJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The host's probes, each with its whole config: the agent runs it as the controller would. A postgres probe's URL
    /// comes with its password, as a switch step's argv comes with its values: the agent token's host needs it to run it.
    /// </summary>
    private static Ok<AgentProbesDto> ProbesAsync(HttpContext context, ConfigHolder config)
    {
        var host = AccessPolicies.AgentHost(context.User)!;
        var probes = HostProbe.Of(config.Current, host).Select(p =>
            new AgentProbeDto(p.Component, p.Name, JsonSerializer.SerializeToElement(p.Config, s_probeJson), p.Config.Interval.TotalSeconds, p.Config.Timeout.TotalSeconds)).ToList();
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(probes, s_probeJson))))[..16];
        return TypedResults.Ok(new AgentProbesDto(host, version, probes));
    }

    private static async Task<Results<Ok<AgentSamplesDto>, ProblemHttpResult>> SamplesAsync(AgentSamplesRequest? request, HttpContext context, HostSamples samples, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var host = AccessPolicies.AgentHost(context.User)!;
        if (request?.Samples is not { } batch || batch.Any(s => s is null || string.IsNullOrEmpty(s.Component) || string.IsNullOrEmpty(s.Probe) || !double.IsFinite(s.LatencyMs) || s.LatencyMs < 0) || request.Dropped < 0)
        {
            return Problems.Invalid("invalid samples", $"samples: at most {HostSamples.MaxBatch}, each with component, probe, at, success and latencyMs (0 or more); dropped: 0 or more");
        }

        if (request.Dropped > 0)
        {
            ServerLog.HostSamplesDropped(loggers.CreateLogger("Rewind.Server.Api.AgentEndpoints"), host, request.Dropped);
        }

        var outcome = await samples.StoreAsync(host, [.. batch.Select(s => new ProbeSample(s.Component, s.Probe, s.At, s.Success, s.LatencyMs, s.Error))], cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(new AgentSamplesDto(outcome.Value!.Stored));
    }
}
