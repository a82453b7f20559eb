namespace Rewind.Runtime.Tests.Support;

/// <summary>Polls for a condition until a deadline, instead of sleeping "long enough".</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = TimeProvider.System.GetTimestamp() + (long)(deadline.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var value = await observe();
            if (done(value))
            {
                return value;
            }

            if (TimeProvider.System.GetTimestamp() > until)
            {
                throw new TimeoutException($"{what} did not happen within {deadline}; last observed: {value}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what) =>
        UntilAsync(() => Task.FromResult(condition()), static done => done, deadline, what);
}
