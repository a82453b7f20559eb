namespace SampleService.Faults;

/// <summary>
/// Takes memory at <see cref="FaultSettings.MemoryGrowthMbPerMinute"/> and never gives it back, like a leak. Every
/// page is written so the memory counts as resident, not merely reserved; the total stops at <see cref="CapBytes"/>.
/// </summary>
internal sealed class MemoryGrowthHostedService(FaultState faults, TimeProvider timeProvider) : BackgroundService
{
    public const long CapBytes = 512L * 1024 * 1024;
    private const int ChunkBytes = 1024 * 1024;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private readonly List<byte[]> _held = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, timeProvider);
        var last = timeProvider.GetTimestamp();
        var owedBytes = 0.0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = timeProvider.GetTimestamp();
            owedBytes += faults.Current.MemoryGrowthMbPerMinute * ChunkBytes * timeProvider.GetElapsedTime(last, now).TotalMinutes;
            last = now;
            while (owedBytes >= ChunkBytes && (long)_held.Count * ChunkBytes < CapBytes)
            {
                _held.Add(Touched(GC.AllocateUninitializedArray<byte>(ChunkBytes)));
                owedBytes -= ChunkBytes;
            }

            if ((long)_held.Count * ChunkBytes >= CapBytes)
            {
                owedBytes = 0;
            }
        }
    }

    private static byte[] Touched(byte[] chunk)
    {
        for (var i = 0; i < chunk.Length; i += Environment.SystemPageSize)
        {
            chunk[i] = 1;
        }

        return chunk;
    }
}
