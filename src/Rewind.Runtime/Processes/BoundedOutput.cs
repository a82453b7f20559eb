using System.Text;
using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Processes;

/// <summary>
/// Keeps the tail of a process's output: a runaway command must not grow the controller's memory. Secrets are replaced
/// in the whole text kept before any of it is dropped, so that no cut leaves part of one behind.
/// </summary>
internal sealed class BoundedOutput(int limit, SecretRedactor? secrets = null)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();
    private bool _truncated;

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_lock)
        {
            _text.Append(chunk);
            // Trim in large steps so appending stays amortised O(1).
            if (_text.Length > 2 * limit)
            {
                Redact();
                if (_text.Length > limit)
                {
                    _text.Remove(0, _text.Length - limit);
                    _truncated = true;
                }
            }
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            Redact();
            var dropped = _truncated || _text.Length > limit;
            var tail = _text.Length <= limit ? _text.ToString() : _text.ToString(_text.Length - limit, limit);
            return dropped ? "[earlier output dropped]\n" + tail : tail;
        }
    }

    private void Redact()
    {
        if (secrets is null)
        {
            return;
        }

        var text = _text.ToString();
        var redacted = secrets.Redact(text);
        if (!ReferenceEquals(redacted, text))
        {
            _text.Clear().Append(redacted);
        }
    }
}
