using System.Reflection;
using Rewind.Core.Storage;

namespace Rewind.Engine.Tests.Policies;

/// <summary>The real store, with every read (a <c>Get…</c> call) counted on its way through.</summary>
public class CountingStore : DispatchProxy
{
    private IStore _inner = null!;
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public static IStore Wrap(IStore inner, out CountingStore counting)
    {
        var proxy = Create<IStore, CountingStore>();
        counting = (CountingStore)(object)proxy;
        counting._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name.StartsWith("Get", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _reads);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
