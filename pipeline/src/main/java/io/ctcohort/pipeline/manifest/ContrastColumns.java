package io.ctcohort.pipeline.manifest;

import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import java.util.Locale;
import java.util.Set;

/**
 * The manifest columns that say what an exam's contrast phase is, read once per row into the
 * {@link PhaseCall} the engine is given:
 * <ul>
 *   <li>{@code contrast_phase} (native | arterial | portal_venous | delayed | unknown): the user's
 *       word, which wins (source {@code manifest}). An input, not a pass-through column: the exams
 *       table's column of that name holds the resolved phase. Empty or {@code unknown} gives no phase.</li>
 *   <li>{@code contrast_agent_dicom} and {@code contrast_route_dicom}, which {@code catalog} writes from
 *       ContrastBolusAgent (0018,0010) and ContrastBolusRoute (0018,1040): a hint (source {@code dicom}),
 *       used only where the manifest gives no phase. They pass through to the exams table as they are.</li>
 * </ul>
 */
public final class ContrastColumns {
    public static final String PHASE = ExamsTable.CONTRAST_PHASE;
    public static final String AGENT_DICOM = "contrast_agent_dicom";
    public static final String ROUTE_DICOM = "contrast_route_dicom";

    /** ContrastBolusAgent values that say no contrast was given (seen in archives instead of an absent module). */
    private static final Set<String> NO_AGENT = Set.of("NONE", "NO", "NO CONTRAST", "WITHOUT", "NATIVE", "N/A", "-");
    /** ContrastBolusRoute values of a contrast that does not reach the vessels (oral, rectal): no phase hint. */
    private static final Set<String> ENTERAL = Set.of("ORAL", "PO", "PER OS", "RECTAL", "PR", "ENTERAL");

    static final String DICOM_CONTRAST_REASON = "the DICOM header records intravenous contrast "
            + "(ContrastBolusAgent), not its phase";

    private ContrastColumns() {
    }

    /** Columns the reader consumes: allowed although the exams table has a result column of that name. */
    static boolean isInput(String column) {
        return PHASE.equals(column.toLowerCase(Locale.ROOT));
    }

    /** Columns that are text whatever their values look like (an agent named "350" stays "350"). */
    static boolean isText(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        return c.equals(AGENT_DICOM) || c.equals(ROUTE_DICOM);
    }

    /**
     * The manifest's contrast_phase cell: null when empty or {@code unknown}.
     *
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    static ContrastPhase parsePhase(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        ContrastPhase p = ContrastPhase.parse(raw);
        return p == ContrastPhase.UNKNOWN ? null : p;
    }

    /** What a row gives the engine: the manifest's phase, else the DICOM hint, else null (estimate it). */
    static PhaseCall given(ContrastPhase manifestPhase, String agent, String route) {
        return manifestPhase != null ? new PhaseCall(manifestPhase, PhaseSource.MANIFEST, null)
                : dicomHint(agent, route);
    }

    /**
     * What ContrastBolusAgent and ContrastBolusRoute say: nothing (both empty, or an oral or rectal
     * route: such contrast does not change the vessels' HU), native (the agent says none), or
     * intravenous contrast of a phase the header does not give ({@link ContrastPhase#UNKNOWN} with
     * source {@code dicom}: a hint the estimate refines, not a result).
     */
    public static PhaseCall dicomHint(String agent, String route) {
        String a = agent == null ? "" : agent.strip().toUpperCase(Locale.ROOT);
        String r = route == null ? "" : route.strip().toUpperCase(Locale.ROOT);
        if (a.isEmpty() && r.isEmpty() || ENTERAL.contains(r)) {
            return null;
        }
        if (NO_AGENT.contains(a) && r.isEmpty()) {
            return new PhaseCall(ContrastPhase.NATIVE, PhaseSource.DICOM, null);
        }
        return new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.DICOM, DICOM_CONTRAST_REASON);
    }
}
