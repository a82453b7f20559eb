using System.Diagnostics.CodeAnalysis;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rewind.Core.Configuration;

/// <summary>
/// Reads config text into a YAML node tree within <see cref="ConfigLimits"/>. Every problem becomes one
/// <see cref="ConfigError"/> with a position; nothing YamlDotNet throws gets out.
/// </summary>
internal static class YamlReader
{
    public static bool TryRead(string text, string file, [NotNullWhen(true)] out YamlNode? root, [NotNullWhen(false)] out ConfigError? error)
    {
        root = null;
        var bytes = Encoding.UTF8.GetByteCount(text);
        error = bytes > ConfigLimits.MaxBytes ? ConfigLimits.TooLarge(file, bytes) : YamlScan.Check(text, file) ?? Load(text, file, out root);
        return error is null;
    }

    /// <summary>Builds the node tree; only text that <see cref="YamlScan"/> passed gets here, so the loader's recursion stays shallow.</summary>
    private static ConfigError? Load(string text, string file, out YamlNode? root)
    {
        root = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // Duplicate keys are found here, while the tree is built, not while the text is scanned.
            return YamlScan.Syntax(file, ex);
        }

        if (stream.Documents.Count == 0)
        {
            return new ConfigError(file, 1, 1, "the file is empty");
        }

        root = stream.Documents[0].RootNode;
        return null;
    }
}
