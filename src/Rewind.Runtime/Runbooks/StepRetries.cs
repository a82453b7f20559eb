using System.Globalization;
using Polly;
using Polly.Retry;
using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs a step again when it fails and its plan says so (<see cref="IRetriedStep"/>): exponential backoff with jitter
/// (Polly). The outcome is the last try's, saying how many tries it took; a cancellation is never retried.
/// </summary>
public static class StepRetries
{
    public static async Task<StepOutcome> RunAsync(PlanStep step, Func<CancellationToken, Task<StepOutcome>> run, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(run);
        if (step is not IRetriedStep { Retry: { } retry })
        {
            return await run(cancellationToken);
        }

        var tries = 0;
        var pipeline = new ResiliencePipelineBuilder<StepOutcome> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<StepOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false }),
                MaxRetryAttempts = retry.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.Backoff,
                MaxDelay = TimeSpan.FromMinutes(1),
            })
            .Build();
        var outcome = await pipeline.ExecuteAsync(
            async token =>
            {
                tries++;
                return await run(token);
            },
            cancellationToken);
        return tries == 1 ? outcome : outcome with { Output = string.Create(CultureInfo.InvariantCulture, $"try {tries} of {retry.Retries + 1}: {outcome.Output}") };
    }
}
