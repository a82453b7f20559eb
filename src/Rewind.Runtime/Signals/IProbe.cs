using Rewind.Core.Configuration;
using Rewind.Core.Signals;

namespace Rewind.Runtime.Signals;

/// <summary>Runs one probe once. Failures are failed samples with a short reason; only the caller's cancellation throws.</summary>
public interface IProbe
{
    Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default);
}
