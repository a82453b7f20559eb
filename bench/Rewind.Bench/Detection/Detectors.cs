using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>A detector fed one second of traffic at a time; returns true once it has raised its alarm.</summary>
internal interface IDetector
{
    string Name { get; }

    /// <summary>Feeds second <paramref name="second"/> (0-based since the deploy) with its request and bad-event counts.</summary>
    bool Observe(int second, int requests, int bad);
}

/// <summary>Rewind's sequential regression test, fed request by request (the simulator hands it the second's requests in order).</summary>
internal sealed class SequentialDetector(double p0, double p1, double alpha, double beta) : IDetector
{
    private SequentialRegressionTest _test = SequentialRegressionTest.Start(p0, p1, alpha, beta);

    public string Name => "rewind sequential";

    public long AlarmAtRequest { get; private set; } = -1;

    public double LogLikelihoodRatio => _test.LogLikelihoodRatio;

    public bool ObserveRequest(bool bad)
    {
        if (AlarmAtRequest >= 0)
        {
            return true;
        }

        _test = _test.Observe(bad);
        if (_test.Verdict == SequentialVerdict.Regressed)
        {
            AlarmAtRequest = _test.Events;
        }

        return AlarmAtRequest >= 0;
    }

    public bool Observe(int second, int requests, int bad) => AlarmAtRequest >= 0;
}

/// <summary>Rewind's sequential test with a floor, fed the per-second counts a scrape would deliver.</summary>
internal sealed class FlooredSequentialDetector(double p0, double p1, double alpha, double beta, double floor) : IDetector
{
    private SequentialRegressionTest _test = SequentialRegressionTest.Start(p0, p1, alpha, beta, floor);

    public string Name => FormattableString.Invariant($"rewind sequential, floor {floor}, per-second counts");

    public bool Observe(int second, int requests, int bad)
    {
        _test = _test.Observe(requests, bad);
        return _test.Verdict == SequentialVerdict.Regressed;
    }
}

/// <summary>
/// The canary-analysis style of Flagger and Argo Rollouts and of the seed documents: every <c>interval</c> the error
/// rate over the last interval is checked against a threshold, and the alarm is raised at the N-th failed check.
/// </summary>
internal sealed class ThresholdDetector(string name, int intervalSeconds, double maxRate, int failedChecks) : IDetector
{
    private int _requests;
    private int _bad;
    private int _failed;

    public string Name => name;

    public bool Observe(int second, int requests, int bad)
    {
        if (_failed >= failedChecks)
        {
            return true;
        }

        _requests += requests;
        _bad += bad;
        if ((second + 1) % intervalSeconds == 0)
        {
            if (_requests > 0 && (double)_bad / _requests > maxRate)
            {
                _failed++;
            }

            _requests = _bad = 0;
        }

        return _failed >= failedChecks;
    }
}

/// <summary>
/// The SRE workbook's multi-window, multi-burn-rate page for a 99.5 % SLO: burn rate ≥ 14.4 over 1 h and 5 min, or
/// ≥ 6 over 6 h and 30 min, evaluated every minute (a Prometheus rule interval). The windows start full of healthy
/// history at the baseline rate, as they would be for a service that was fine before the deploy.
/// </summary>
internal sealed class BurnRateDetector : IDetector
{
    private const double Budget = 0.005;
    private const int HistoryMinutes = 360;
    private static readonly (int LongMinutes, int ShortMinutes, double Burn)[] Rules = [(60, 5, 14.4), (360, 30, 6)];
    private readonly List<double> _cumulativeBad = [0];
    private readonly List<double> _cumulativeRequests = [0];
    private double _minuteBad;
    private double _minuteRequests;
    private bool _alarm;

    public BurnRateDetector(double requestsPerSecond, double baseline)
    {
        for (var minute = 0; minute < HistoryMinutes; minute++)
        {
            _cumulativeBad.Add(_cumulativeBad[^1] + (60 * requestsPerSecond * baseline));
            _cumulativeRequests.Add(_cumulativeRequests[^1] + (60 * requestsPerSecond));
        }
    }

    public string Name => "SRE multi-window burn rate";

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
            _alarm = Rules.Any(rule => Rate(rule.LongMinutes) >= rule.Burn * Budget && Rate(rule.ShortMinutes) >= rule.Burn * Budget);
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
