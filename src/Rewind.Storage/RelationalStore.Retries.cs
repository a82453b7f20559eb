using Polly;
using Polly.Retry;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    /// <summary>Attempts when the lease index refuses an insert but the holder is gone by the time we look (it just finished).</summary>
    private const int MaxCreateAttempts = 3;

    /// <summary>Attempts at the next audit sequence number while other writers keep taking it first.</summary>
    private const int AuditAppendAttempts = 50;

    /// <summary>
    /// Runs a write again when a unique index refused it because another writer got there first: at once for a
    /// rollback's lease (the next try reads who holds it), after a few jittered milliseconds for the audit chain (so
    /// writers that collided do not collide again). Other failures, and the last refusal, reach the caller.
    /// </summary>
    private static ResiliencePipeline UniqueViolationRetry(ISqlDialect dialect, TimeProvider time, int attempts, TimeSpan delay) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(dialect.IsUniqueViolation),
                MaxRetryAttempts = attempts - 1,
                BackoffType = DelayBackoffType.Linear,
                Delay = delay,
                UseJitter = delay > TimeSpan.Zero,
            })
            .Build();
}
