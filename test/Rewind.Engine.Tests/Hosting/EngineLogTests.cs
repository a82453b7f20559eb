using Microsoft.Extensions.Logging;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Tests.Hosting;

public sealed class EngineLogTests
{
    [Theory]
    [InlineData("web has no known-good release to roll back to; a human must decide")]
    [InlineData("automatic rollback deferred: RB-2026-11-22-0001 ran 2m ago, inside the cooldown of 10m; Rewind rolls back at 2026-11-22 10:15:03.000Z if policy down still holds then; a human may decide sooner")]
    public void RollbackRefused_SaysTheReasonAsItIs_WithoutAddingASecondVerdict(string reason)
    {
        var logger = new LastLine();

        EngineLog.RollbackRefused(logger, "web", reason);

        logger.Line.ShouldBe($"No rollback for web: {reason}");
    }

    private sealed class LastLine : ILogger
    {
        public string Line { get; private set; } = "";

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Line = formatter(state, exception);
    }
}
