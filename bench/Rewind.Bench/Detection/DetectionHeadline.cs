using System.Globalization;
using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>The one line of key=value figures the detection benchmark ends with: ratios first.</summary>
internal static class DetectionHeadline
{
    public static string Line(DetectionResults results)
    {
        var worst = results.Steps.MaxBy(c => DetectionReport.Ratio(c.Rewind, c))!;
        var designed = results.Steps.Where(c => c.Baseline == 0.005 && c.Factor == 10).ToList();
        var designedMean = designed.Sum(c => c.Rewind.MeanSeconds!.Value * c.Rps * c.Rewind.Detected) / designed.Sum(c => c.Rewind.Detected);
        var minimum = SequentialRegressionTest.MinimumExpectedSampleSize(0.005, 0.05, StepCell.Alpha, StepCell.Beta);
        var streams = results.Healthy.Sum(h => h.Streams);
        double Rate(int d) => (double)results.Healthy.Sum(h => h.Alarms[d]) / streams;
        var lateWorst = results.Late.MaxBy(DetectionReport.LateRatio)!;
        double LateWorst(int rps) => results.Late.Where(c => c.Rps == rps).Max(DetectionReport.LateRatio);
        var lateVsFlagger = results.Late.Max(c => c.Rewind.MeanSeconds!.Value / c.Named("Flagger").MeanSeconds!.Value);
        var exactWorst = results.Steps.Max(c => DetectionReport.Ratio(c.Named("exact"), c));
        var oldMissed = results.Steps.Where(c => c.Named("old SPRT").DetectedShare < 0.99).Select(c => c.Cell).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"worst_step_ratio_to_oracle={DetectionReport.Ratio(worst.Rewind, worst):0.00} seq_delay_ratio_to_min={designedMean / minimum:0.00} aa_false_alarm_rate={Rate(0):0.00000} late_change_ratio_vs_threshold={DetectionReport.LateRatio(lateWorst):0.00} " +
            $"late_ratio_vs_threshold_50rps={LateWorst(50):0.00} late_ratio_vs_threshold_5rps={LateWorst(5):0.00} late_ratio_vs_2x_threshold={results.Late.Max(DetectionReport.LateRatioVsDoubleThreshold):0.00} late_ratio_vs_flagger={lateVsFlagger:0.00} " +
            $"worst_step_cell=\"{worst.Cell}\" worst_late_cell=\"{lateWorst.Cell}\" seq_mean_delay_requests={designedMean:0.0} min_expected_sample_size={minimum:0.0} " +
            $"aa_streams={streams} aa_false_alarms={results.Healthy.Sum(h => h.Alarms[0])} aa_old_sprt_rate={Rate(1):0.00000} aa_threshold_1m_rate={Rate(3):0.0000} aa_flagger_rate={Rate(4):0.0000} aa_burn_rate_rate={Rate(5):0.0000} aa_matched_threshold_rate={Rate(6):0.00000} " +
            $"exact_sprt_worst_ratio={exactWorst:0.00} old_sprt_cells_missed={oldMissed.Count} wall_s={results.WallSeconds:0}");
    }
}
