namespace Rewind.Bench.Detection;

/// <summary>
/// The canary analysis of Flagger and Argo Rollouts: every <c>interval</c> the bad-event rate over the last interval is
/// checked against a threshold, and the alarm is raised at the N-th failed check (Flagger's default: 1 m, 5 failed).
/// </summary>
internal sealed class ThresholdDetector(int intervalSeconds, double maxRate, int failedChecks) : IDetector
{
    private int _requests;
    private int _bad;
    private int _failed;

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
