using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Rewind.Runtime.Samples;

/// <summary>
/// Installs the sample service (samples/SampleService) as <c>releases/&lt;version&gt;</c> of a release-dir deployment,
/// with the <c>release.json</c> that makes it healthy or broken. Used by <c>rewind demo</c>, the end-to-end tests and
/// the benchmarks, so all three run the same deployment.
/// </summary>
public static class SampleRelease
{
    /// <param name="buildDirectory">The sample service's build output.</param>
    /// <param name="appRoot">The deployment root holding <c>releases/</c> and <c>current</c>.</param>
    /// <param name="version">The release name, also reported by the service on <c>/health</c>.</param>
    /// <param name="broken">A broken release answers 503 on <c>/health</c> and 500 on <c>/</c>.</param>
    /// <param name="startupDelayMs">How long <c>/health</c> answers 503 "starting" after the process starts.</param>
    /// <param name="errorFraction">The fraction of requests to <c>/</c> that answer 500 while <c>/health</c> stays 200.</param>
    public static string Install(string buildDirectory, string appRoot, string version, bool broken, int startupDelayMs = 0, double errorFraction = 0)
    {
        CopyDirectory(buildDirectory, Path.Combine(appRoot, "releases", version));
        return Describe(appRoot, version, broken, startupDelayMs, errorFraction);
    }

    /// <summary>
    /// Writes only <c>releases/&lt;version&gt;/release.json</c>: enough for a release that a packaged <c>rewind</c>
    /// serves itself (<c>rewind sample-service &lt;release-dir&gt;</c>), which needs no build output beside it.
    /// </summary>
    public static string Describe(string appRoot, string version, bool broken, int startupDelayMs = 0, double errorFraction = 0)
    {
        var target = Path.Combine(appRoot, "releases", version);
        Directory.CreateDirectory(target);
        var release = JsonSerializer.Serialize(new { version, fault = broken ? "broken" : "none", startupDelayMs, errorFraction });
        File.WriteAllText(Path.Combine(target, "release.json"), release);
        return target;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}
