namespace Rewind.Bench.Detection;

/// <summary>
/// The SRE workbook's multi-window, multi-burn-rate page with the error budget set to the baseline (an SLO of
/// 1 − p0, the most sensitive one the healthy service meets): burn rate ≥ 14.4 over 1 h and 5 min, or ≥ 6 over 6 h and
/// 30 min, evaluated every minute (a Prometheus rule interval). The windows start full of healthy history at the
/// baseline, as they are for a service that was fine before.
/// </summary>
internal sealed class BurnRateDetector : IDetector
{
    private const int HistoryMinutes = 360;
    private static readonly (int LongMinutes, int ShortMinutes, double Burn)[] Rules = [(60, 5, 14.4), (360, 30, 6)];
    private readonly double _budget;
    private readonly List<double> _cumulativeBad = [0];
    private readonly List<double> _cumulativeRequests = [0];
    private double _minuteBad;
    private double _minuteRequests;
    private bool _alarm;

    public BurnRateDetector(double requestsPerSecond, double baseline)
    {
        _budget = baseline;
        for (var minute = 0; minute < HistoryMinutes; minute++)
        {
            _cumulativeBad.Add(_cumulativeBad[^1] + (60 * requestsPerSecond * baseline));
            _cumulativeRequests.Add(_cumulativeRequests[^1] + (60 * requestsPerSecond));
        }
    }

    public bool Observe(int second, int requests, int bad)
    {
        if (_alarm)
        {
            return true;
        }

        _minuteBad += bad;
        _minuteRequests += requests;
        if ((second + 1) % 60 == 0)
        {
            _cumulativeBad.Add(_cumulativeBad[^1] + _minuteBad);
            _cumulativeRequests.Add(_cumulativeRequests[^1] + _minuteRequests);
            _minuteBad = _minuteRequests = 0;
            _alarm = Rules.Any(rule => Rate(rule.LongMinutes) >= rule.Burn * _budget && Rate(rule.ShortMinutes) >= rule.Burn * _budget);
        }

        return _alarm;
    }

    private double Rate(int minutes)
    {
        var end = _cumulativeBad.Count - 1;
        var requests = _cumulativeRequests[end] - _cumulativeRequests[end - minutes];
        return requests == 0 ? 0 : (_cumulativeBad[end] - _cumulativeBad[end - minutes]) / requests;
    }
}
