using System.Globalization;
using Rewind.TestUtils;
using YamlDotNet.RepresentationModel;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// A copy of one of <c>samples/configs/*/rewind.yaml</c> that can run on loopback, changed through its YAML tree, never
/// by editing the text: the store and listen address become the test's own, notification channels are left out (they
/// talk to outside services), every probe runs every 200 ms, verify holds and traffic gates take a moment instead of
/// minutes, and the test names every outside address it points elsewhere (<see cref="Replace"/>, <see cref="Set"/>).
/// Programs (wrangler, kubectl, …) keep their names: the test puts fakes of them first on PATH.
/// </summary>
internal sealed class SampleCopy
{
    private readonly YamlStream _yaml = [];

    public SampleCopy(string sample)
    {
        Sample = sample;
        Path = System.IO.Path.Combine(Repository.Root, "samples", "configs", sample, "rewind.yaml");
        using var reader = new StreamReader(Path);
        _yaml.Load(reader);
        Root.Children[new YamlScalarNode("store")] = new YamlScalarNode("sqlite:rewind.db");
        Root.Children[new YamlScalarNode("server")] = new YamlMappingNode(new YamlScalarNode("listen"), new YamlScalarNode("http://127.0.0.1:0"));
        Root.Children.Remove(new YamlScalarNode("notifications"));
        ShortenTimings();
    }

    public string Sample { get; }

    /// <summary>The checked-in sample this copy was made from.</summary>
    public string Path { get; }

    private YamlMappingNode Root => (YamlMappingNode)_yaml.Documents[0].RootNode;

    /// <summary>Replaces <paramref name="text"/> inside every scalar; the sample must contain it, so a renamed address fails here.</summary>
    public SampleCopy Replace(string text, string by)
    {
        var found = 0;
        foreach (var scalar in Root.AllNodes.OfType<YamlScalarNode>().Where(s => s.Value?.Contains(text, StringComparison.Ordinal) == true))
        {
            scalar.Value = scalar.Value!.Replace(text, by, StringComparison.Ordinal);
            found++;
        }

        found.ShouldBeGreaterThan(0, $"{Sample}: '{text}' is not in the sample");
        return this;
    }

    /// <summary>Sets the scalar at a dotted path of mapping keys (<c>components.api.probes.database.tcp.port</c>), which must exist.</summary>
    public SampleCopy Set(string path, string value)
    {
        var keys = path.Split('.');
        var node = Root;
        foreach (var key in keys[..^1])
        {
            node = (YamlMappingNode)node.Children[new YamlScalarNode(key)];
        }

        node.Children.ContainsKey(new YamlScalarNode(keys[^1])).ShouldBeTrue($"{Sample}: no {path}");
        node.Children[new YamlScalarNode(keys[^1])] = new YamlScalarNode(value);
        return this;
    }

    /// <summary>Writes the copy as <c>rewind.yaml</c> into <paramref name="directory"/> and returns its text.</summary>
    public string WriteTo(string directory)
    {
        // An https:// check has no meaning once the probe points at plain HTTP on loopback.
        foreach (var http in Mappings("http").Where(h => Scalar(h, "url")?.StartsWith("http://", StringComparison.Ordinal) == true))
        {
            http.Children.Remove(new YamlScalarNode("min-cert-days"));
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        _yaml.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        File.WriteAllText(System.IO.Path.Combine(directory, "rewind.yaml"), text);
        return text;
    }

    private void ShortenTimings()
    {
        foreach (var component in ((YamlMappingNode)Root.Children[new YamlScalarNode("components")]).Children.Values.Cast<YamlMappingNode>())
        {
            if (component.Children.TryGetValue(new YamlScalarNode("probes"), out var probes))
            {
                foreach (var probe in ((YamlMappingNode)probes).Children.Values.Cast<YamlMappingNode>())
                {
                    probe.Children[new YamlScalarNode("interval")] = new YamlScalarNode("200ms");
                    probe.Children[new YamlScalarNode("timeout")] = new YamlScalarNode("150ms");
                }
            }

            if (component.Children.TryGetValue(new YamlScalarNode("verify"), out var verify) && ((YamlMappingNode)verify).Children.ContainsKey(new YamlScalarNode("hold-for")))
            {
                ((YamlMappingNode)verify).Children[new YamlScalarNode("hold-for")] = new YamlScalarNode("500ms");
            }
        }

        foreach (var traffic in Mappings("traffic").Where(t => Scalar(t, "gate") is not null and not "0s"))
        {
            traffic.Children[new YamlScalarNode("gate")] = new YamlScalarNode("200ms");
        }
    }

    /// <summary>Every mapping that is the value of key <paramref name="key"/>, anywhere in the file.</summary>
    private List<YamlMappingNode> Mappings(string key) =>
        Root.AllNodes.OfType<YamlMappingNode>()
            .SelectMany(m => m.Children)
            .Where(e => e.Key is YamlScalarNode { Value: var k } && k == key && e.Value is YamlMappingNode)
            .Select(e => (YamlMappingNode)e.Value)
            .ToList();

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
