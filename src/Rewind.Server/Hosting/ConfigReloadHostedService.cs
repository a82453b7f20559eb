using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rewind.Server.Hosting;

/// <summary>
/// Reloads the config file on SIGHUP and when the file changes. The watch is on the file's directory, so a file an
/// editor replaces by a rename is seen as well as one written in place; a burst of events (an editor's save writes,
/// renames and sets modes) becomes one reload once the directory has been quiet for <see cref="Quiet"/>. Nothing runs
/// for a controller built without a config file.
/// </summary>
internal sealed partial class ConfigReloadHostedService(ConfigReloads reloads, TimeProvider time, ILogger<ConfigReloadHostedService> logger) : BackgroundService
{
    /// <summary>How long the file must stay untouched before a change is read. 200 ms.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private const string FileWatch = "file watch";
    private readonly Channel<string> _triggers = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private long _fileEvents;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (reloads.File is not { } path)
        {
            return;
        }

        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP reloads; it never stops the controller
            _triggers.Writer.TryWrite("SIGHUP");
        });
        using var watcher = TryWatch(path);
        await foreach (var actor in _triggers.Reader.ReadAllAsync(stoppingToken))
        {
            if (actor == FileWatch)
            {
                await QuietAsync(stoppingToken);
            }

            var asked = actor;
            while (_triggers.Reader.TryRead(out var more))
            {
                asked = asked == FileWatch ? more : asked; // asked again meanwhile: one reload answers all, named after a signal over the watch
            }

            try
            {
                await reloads.ReloadAsync(asked, "local", stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReloadFailed(logger, ex, path);
            }
        }
    }

    /// <summary>The watch, or null when the system refuses one (out of inotify watches, say): the signal and the API still reload.</summary>
    private FileSystemWatcher? TryWatch(string path)
    {
        try
        {
            var watcher = Watch(path);
            LogWatching(logger, path);
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogCannotWatch(logger, path, ex.Message);
            return null;
        }
    }

    private FileSystemWatcher Watch(string path)
    {
        var name = Path.GetFileName(path);
        var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        void Seen(string? changed)
        {
            if (string.Equals(changed, name, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _fileEvents);
                _triggers.Writer.TryWrite(FileWatch);
            }
        }

        watcher.Changed += (_, e) => Seen(e.Name);
        watcher.Created += (_, e) => Seen(e.Name);
        watcher.Renamed += (_, e) => Seen(e.Name);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    /// <summary>Waits until no event about the file has come for <see cref="Quiet"/>.</summary>
    private async Task QuietAsync(CancellationToken stoppingToken)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _fileEvents);
            await Task.Delay(Quiet, time, stoppingToken);
        }
        while (Interlocked.Read(ref _fileEvents) != seen);
    }

    [LoggerMessage(1094, LogLevel.Information, "Watching {File} for changes; SIGHUP or rewind config reload read it again too")]
    private static partial void LogWatching(ILogger logger, string file);

    [LoggerMessage(1097, LogLevel.Warning, "Cannot watch {File} for changes: {Reason}; SIGHUP and rewind config reload still read it again")]
    private static partial void LogCannotWatch(ILogger logger, string file, string reason);

    [LoggerMessage(1095, LogLevel.Error, "Reloading {File} failed; the running config stays in force")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string file);
}
