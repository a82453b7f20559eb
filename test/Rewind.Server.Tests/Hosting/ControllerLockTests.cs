using Rewind.Engine;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

/// <summary>A SQLite store serves one controller: a second one on the same file is refused at start, with who holds it.</summary>
public sealed class ControllerLockTests
{
    [Fact]
    public async Task SecondController_OnTheSameSqliteStore_IsRefusedAtStart_TheFirstRunsOn_AndTheStoreIsFreeOnceItStops()
    {
        var directory = Directory.CreateTempSubdirectory("rewind-lock-").FullName;
        try
        {
            var store = $"sqlite:{directory}/rewind.db";
            var first = await ServerFixture.StartAsync(store: store);
            try
            {
                var refused = await Should.ThrowAsync<RewindStartException>(() => ServerFixture.StartAsync(store: store));

                refused.Message.ShouldStartWith($"another controller already runs on the SQLite store {directory}/rewind.db (pid {Environment.ProcessId} on {Environment.MachineName} since ");
                refused.Message.ShouldContain("a SQLite store serves one controller");
                (await first.Http.GetAsync("api/v1/health")).IsSuccessStatusCode.ShouldBeTrue(); // the first is untouched
            }
            finally
            {
                await first.DisposeAsync();
            }

            await using var next = await ServerFixture.StartAsync(store: store); // stopped: the lock went with it
            (await next.Http.GetAsync("api/v1/health")).IsSuccessStatusCode.ShouldBeTrue();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
