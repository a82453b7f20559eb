using System.Globalization;
using System.Text;
using Rewind.Core.Configuration;

namespace Rewind.Bench.Scale;

/// <summary>
/// The controller's config for N components: each one HTTP probe of its own path on the target every second
/// (status 200 and the JSON field <c>status</c> = <c>ok</c>), a <c>notify</c> probe policy, SQLite store.
/// </summary>
internal static class ScaleConfig
{
    /// <summary>
    /// The most components whose config fits in one file (<see cref="ConfigLimits.MaxBytes"/>), in whole thousands:
    /// about 14,000 of these, so a run past capacity is held to it.
    /// </summary>
    public static int MostComponents(NginxTarget target)
    {
        var header = Render(0, "/tmp/rewind.db", 65535, target).Length;
        var each = Render(1, "/tmp/rewind.db", 65535, target).Length - header;
        return (ConfigLimits.MaxBytes - header - 1024) / each / 1000 * 1000;
    }

    public static string Render(int components, string storePath, int apiPort, NginxTarget target)
    {
        var text = new StringBuilder(capacity: 400 * components);
        text.Append(CultureInfo.InvariantCulture, $"""
            store: sqlite:{storePath}
            server:
              listen: http://127.0.0.1:{apiPort}
            components:

            """);
        for (var i = 1; i <= components; i++)
        {
            var name = ScaleSettings.Component(i);
            text.Append(CultureInfo.InvariantCulture, $$"""
                  {{name}}:
                    provider: { command: { switch: [/bin/true] } }
                    probes:
                      health: { http: { url: "{{target.Url(name)}}", json-field: { path: status, equals: ok } }, interval: {{ScaleSettings.Interval}}, timeout: {{ScaleSettings.Timeout}} }
                    policies:
                      down: { when: { probe: health, failing-for: {{ScaleSettings.FailingFor}} }, mode: notify }

                """);
        }

        return text.ToString();
    }
}
