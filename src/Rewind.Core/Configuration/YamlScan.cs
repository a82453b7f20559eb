using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Rewind.Core.Configuration;

/// <summary>
/// A first pass over the YAML events, before YamlDotNet builds a node tree: it finds syntax errors, nesting deeper than
/// <see cref="ConfigLimits.MaxDepth"/> and aliases that would loop or multiply the config. The scanner and parser do
/// not recurse, but the tree loader, the binder and YamlDotNet's key hashing do, once per level: a 50,000-deep file or
/// an alias inside the node it names would overflow the stack there, and a "billion laughs" file would never finish.
/// </summary>
internal sealed class YamlScan(string file)
{
    private readonly Stack<Node> _open = new();
    private readonly Dictionary<string, Node> _anchors = new(StringComparer.Ordinal);
    private long _aliasNodes;

    public static ConfigError? Check(string text, string file)
    {
        var scanner = new Scanner(new StringReader(text));
        var parser = new Parser(scanner);
        var scan = new YamlScan(file);
        try
        {
            while (parser.MoveNext())
            {
                if (scan.Visit(parser.Current!) is { } error)
                {
                    return error;
                }
            }

            return null;
        }
        catch (YamlException ex)
        {
            return Syntax(file, ex);
        }
        catch (Exception ex)
        {
            // YamlDotNet's scanner throws InvalidOperationException on some unclosed flow collections: its bug, the user's place.
            return scan.Unreadable(scanner.CurrentPosition, ex);
        }
    }

    public static ConfigError Syntax(string file, YamlException ex)
    {
        var message = string.Join(' ', (ex.InnerException?.Message ?? ex.Message).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return Error(file, ex.Start, "YAML syntax: " + message);
    }

    private ConfigError? Visit(ParsingEvent e) => e switch
    {
        DocumentStart => Reset(),
        Scalar scalar => Place(new Node(scalar), scalar.Anchor),
        AnchorAlias alias => Alias(alias),
        MappingStart or SequenceStart when _open.Count == ConfigLimits.MaxDepth => TooDeep(e.Start),
        MappingStart or SequenceStart => Open((NodeEvent)e),
        MappingEnd or SequenceEnd => Close(),
        _ => null,
    };

    private ConfigError? Reset()
    {
        // Anchors belong to their document.
        _anchors.Clear();
        return null;
    }

    private ConfigError? Open(NodeEvent start)
    {
        var node = new Node(start);
        var error = Place(node, start.Anchor);
        _open.Push(node);
        return error;
    }

    private ConfigError? Close()
    {
        var node = _open.Pop();
        node.Closed = true;
        if (_open.TryPeek(out var parent))
        {
            parent.Add(node);
        }

        return null;
    }

    /// <summary>Counts a new node into its parent and remembers its anchor; a collection is added again, whole, when it closes.</summary>
    private ConfigError? Place(Node node, AnchorName anchor)
    {
        if (_open.TryPeek(out var parent))
        {
            if (parent.NextIsKey && node.IsCollection)
            {
                return NotAName(node.Start.Start);
            }

            parent.Children++;
            if (!node.IsCollection)
            {
                parent.Add(node);
            }
        }

        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return null;
    }

    private ConfigError? Alias(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (!_anchors.TryGetValue(name, out var target))
        {
            return Error(file, alias.Start, $"YAML syntax: alias *{name} comes before any anchor &{name}");
        }

        if (!target.Closed)
        {
            return Error(file, alias.Start, $"alias *{name} is inside the node it names; a config cannot contain itself");
        }

        if (_open.Count + target.Height > ConfigLimits.MaxDepth)
        {
            return TooDeep(alias.Start);
        }

        _aliasNodes += target.Size;
        if (_aliasNodes > ConfigLimits.MaxAliasNodes)
        {
            return Error(file, alias.Start, $"aliases expand the config past the {ConfigLimits.MaxAliasNodes:N0}-node limit");
        }

        if (_open.TryPeek(out var parent))
        {
            if (parent.NextIsKey && target.IsCollection)
            {
                return NotAName(alias.Start);
            }

            parent.Children++;
            parent.Add(target);
        }

        return null;
    }

    /// <summary>Config keys are names; a mapping or a list as a key would also be hashed by YamlDotNet, recursively.</summary>
    private ConfigError NotAName(Mark mark) => Error(file, mark, "a key must be a name, not a mapping or a list");

    private ConfigError TooDeep(Mark mark) => Error(file, mark, $"config nests deeper than the {ConfigLimits.MaxDepth}-level limit");

    private ConfigError Unreadable(Mark mark, Exception ex)
    {
        var flow = _open.FirstOrDefault(n => n.Start is MappingStart { Style: MappingStyle.Flow } or SequenceStart { Style: SequenceStyle.Flow });
        if (flow is null)
        {
            return Error(file, mark, $"YAML syntax: cannot read past this point ({ex.Message})");
        }

        var (opening, closing) = flow.Start is MappingStart ? ('{', '}') : ('[', ']');
        return Error(file, mark, $"YAML syntax: cannot read past this point, inside the '{opening}' opened at {flow.Start.Start.Line}:{flow.Start.Start.Column}; is its '{closing}' missing?");
    }

    private static ConfigError Error(string file, Mark mark, string message) => new(file, (int)mark.Line, (int)mark.Column, message);

    /// <summary>A node seen so far: its size and height count what its aliases add, as the binder will see it.</summary>
    private sealed class Node(ParsingEvent start)
    {
        public ParsingEvent Start => start;

        public bool IsCollection => start is MappingStart or SequenceStart;

        /// <summary>Scalars are complete when seen; a collection when its end is.</summary>
        public bool Closed { get; set; } = start is not (MappingStart or SequenceStart);

        /// <summary>The node and every node under it.</summary>
        public long Size { get; private set; } = 1;

        /// <summary>Levels of mappings and lists, this one included; 0 for a scalar.</summary>
        public int Height { get; private set; } = start is MappingStart or SequenceStart ? 1 : 0;

        public int Children { get; set; }

        /// <summary>In a mapping, children alternate key and value; the next one is a key after an even count.</summary>
        public bool NextIsKey => start is MappingStart && Children % 2 == 0;

        public void Add(Node child)
        {
            Size += child.Size;
            Height = Math.Max(Height, child.Height + 1);
        }
    }
}
