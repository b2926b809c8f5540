package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;

/**
 * Decides an exam's contrast phase from what is given and what is estimated:
 * <ol>
 *   <li>A manifest phase other than unknown wins (source {@code manifest}).</li>
 *   <li>Otherwise the estimate from the segmentation ({@code estimated}), checked against the DICOM
 *       hint, a {@link PhaseCall} of source {@code dicom} made by {@link #dicomHint}: phase native
 *       when the header names no contrast agent, unknown (or the phase the header states) when it
 *       names one.
 *       <ul>
 *         <li>Estimate native but the header names an agent: unknown, source {@code dicom} (the
 *             header vetoes native: an agent was given, and a weak bolus can look native).</li>
 *         <li>Estimate unknown and the header states a phase (native when no agent): that phase,
 *             source {@code dicom}.</li>
 *         <li>Otherwise the estimate stands: an absent ContrastBolusAgent is common on contrast
 *             scans, so "no agent" never overrides an enhanced estimate.</li>
 *       </ul></li>
 * </ol>
 */
public final class PhaseResolver {
    private PhaseResolver() {
    }

    /** The DICOM hint: whether ContrastBolusAgent / ContrastBolusRoute name an agent. */
    public static PhaseCall dicomHint(boolean agentPresent) {
        return agentPresent
                ? new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.DICOM, "DICOM names a contrast agent")
                : new PhaseCall(ContrastPhase.NATIVE, PhaseSource.DICOM, null);
    }

    /**
     * @param given    the manifest's phase or the DICOM hint, or null
     * @param estimate the estimate from the segmentation
     */
    public static PhaseCall resolve(PhaseCall given, PhaseCall estimate) {
        if (given == null) {
            return estimate;
        }
        if (given.source() == PhaseSource.MANIFEST) {
            return given.known() ? given : estimate;
        }
        if (given.source() != PhaseSource.DICOM) {
            return estimate;
        }
        boolean agent = given.phase() != ContrastPhase.NATIVE;
        if (estimate.phase() == ContrastPhase.NATIVE && agent) {
            return new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.DICOM,
                    "estimated native, but the DICOM header names a contrast agent");
        }
        if (!estimate.known() && given.known()) {
            return new PhaseCall(given.phase(), PhaseSource.DICOM, null);
        }
        if (!estimate.known() && agent) {
            return new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.DICOM,
                    "DICOM names a contrast agent; " + estimate.reason());
        }
        return estimate;
    }
}
