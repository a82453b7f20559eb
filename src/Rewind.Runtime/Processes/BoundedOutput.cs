using System.Text;

namespace Rewind.Runtime.Processes;

/// <summary>Keeps the tail of a process's output: a runaway command must not grow the controller's memory.</summary>
internal sealed class BoundedOutput(int limit)
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
                _text.Remove(0, _text.Length - limit);
                _truncated = true;
            }
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            if (!_truncated && _text.Length <= limit)
            {
                return _text.ToString();
            }

            return "[earlier output dropped]\n" + _text.ToString(_text.Length - limit, limit);
        }
    }
}
