using System.Diagnostics;

namespace Rewind.Bench.Scale;

/// <summary>Counters read at one edge of a measurement window: CPU of the processes, the store's samples and size.</summary>
internal sealed record WindowPoint(double At, double ControllerCpuMs, double TargetCpuMs, long Samples, long BytesInUse, long FileBytes)
{
    public static async Task<WindowPoint> TakeAsync(Stopwatch clock, int controllerPid, NginxTarget target, ScaleStore store)
    {
        var at = clock.Elapsed.TotalSeconds;
        var controller = ProcCpu.Ms(controllerPid);
        var nginx = target.CpuMs();
        var samples = await store.SamplesStoredAsync();
        return new WindowPoint(at, controller, nginx, samples, await store.BytesInUseAsync(), store.FileBytes());
    }
}
