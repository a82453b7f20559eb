using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Rewind.Core.Storage;

namespace Rewind.Server.Hosting;

/// <summary>
/// Keeps a follower ready to lead at once. A replica that never led has never compiled the code that decides and rolls
/// back, nor the store's queries for it; doing that after a takeover costs seconds on a busy host. So a follower compiles
/// that code once at start, on a thread of low priority, and reads what a new leader reads first (the running rollbacks)
/// every <see cref="Every"/>. Nothing is written.
/// </summary>
internal sealed class StandbyWarmup(IStore store, Leadership leadership, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>How long after its start a follower begins compiling: the start itself is busy enough.</summary>
    private static readonly TimeSpan CompileAfter = TimeSpan.FromSeconds(3);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!leadership.Shared)
        {
            return Task.CompletedTask; // the one controller of a SQLite store leads from its start
        }

        var compile = new Thread(() => Compile(leadership, stoppingToken)) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "rewind-standby-compile" };
        compile.Start();
        return PeriodicLoop.RunAsync(Every, time, ReadAsync, _ => { }, stoppingToken);
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        if (leadership.IsLeader)
        {
            return;
        }

        foreach (var rollback in await store.GetActiveRollbacksAsync(cancellationToken))
        {
            await store.GetRollbackAsync(rollback.Id, cancellationToken);
        }
    }

    /// <summary>
    /// Compiles the methods a new leader runs first (the executor, the step runners, the store), a type at a time with a
    /// pause between, so that followers starting together do not crowd the host they share with the leader.
    /// </summary>
    private static void Compile(Leadership leadership, CancellationToken stoppingToken)
    {
        string[] prefixes = ["Rewind.Engine.Runbooks", "Rewind.Engine.Policies", "Rewind.Engine.Notifications", "Rewind.Runtime.Runbooks", "Rewind.Runtime.Releases", "Rewind.Storage", "Rewind.Server.Runbooks", "Rewind.Server.Signals"];
        if (stoppingToken.WaitHandle.WaitOne(CompileAfter))
        {
            return;
        }

        foreach (var type in AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("Rewind.", StringComparison.Ordinal) == true)
            .SelectMany(Types)
            .Where(t => !t.IsGenericTypeDefinition && !t.IsInterface && prefixes.Any(p => t.Namespace?.StartsWith(p, StringComparison.Ordinal) == true)))
        {
            if (stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(5)) || leadership.IsLeader)
            {
                return; // a leader compiles what it runs as it runs it
            }

            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsAbstract && !m.ContainsGenericParameters && m.GetMethodBody() is not null))
            {
                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or BadImageFormatException or TypeLoadException or MissingMethodException)
                {
                    // not compilable on its own (a generic context, a missing optional dependency): the first call compiles it
                }
            }
        }
    }

    private static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
