package io.ctcohort.engine.biomarkers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import org.junit.jupiter.api.Test;

class PhaseResolverTest {
    static final PhaseCall EST_NATIVE = new PhaseCall(ContrastPhase.NATIVE, PhaseSource.ESTIMATED, null);
    static final PhaseCall EST_VENOUS = new PhaseCall(ContrastPhase.PORTAL_VENOUS, PhaseSource.ESTIMATED, null);
    static final PhaseCall EST_UNKNOWN = new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.ESTIMATED, "aorta not segmented");

    @Test
    void manifestWins() {
        PhaseCall manifest = new PhaseCall(ContrastPhase.ARTERIAL, PhaseSource.MANIFEST, null);
        assertSame(manifest, PhaseResolver.resolve(manifest, EST_VENOUS));
        assertSame(EST_VENOUS, PhaseResolver.resolve(new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.MANIFEST, "blank"),
                EST_VENOUS), "an unknown manifest value is no value");
    }

    @Test
    void estimateWithoutHint() {
        assertSame(EST_VENOUS, PhaseResolver.resolve(null, EST_VENOUS));
    }

    @Test
    void dicomAgentVetoesNative() {
        PhaseCall r = PhaseResolver.resolve(PhaseResolver.dicomHint(true), EST_NATIVE);
        assertEquals(ContrastPhase.UNKNOWN, r.phase());
        assertEquals(PhaseSource.DICOM, r.source());
    }

    @Test
    void dicomSettlesAnUnknownEstimate() {
        PhaseCall r = PhaseResolver.resolve(PhaseResolver.dicomHint(false), EST_UNKNOWN);
        assertEquals(ContrastPhase.NATIVE, r.phase());
        assertEquals(PhaseSource.DICOM, r.source());
        PhaseCall agent = PhaseResolver.resolve(PhaseResolver.dicomHint(true), EST_UNKNOWN);
        assertEquals(ContrastPhase.UNKNOWN, agent.phase());
        assertEquals(PhaseSource.DICOM, agent.source());
    }

    @Test
    void noAgentNeverOverridesAnEnhancedEstimate() {
        assertSame(EST_VENOUS, PhaseResolver.resolve(PhaseResolver.dicomHint(false), EST_VENOUS));
        assertSame(EST_VENOUS, PhaseResolver.resolve(PhaseResolver.dicomHint(true), EST_VENOUS));
    }
}
