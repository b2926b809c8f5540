package io.ctcohort.engine.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.phantom.PlantedEffects.PlantedEffect;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlantedEffectsListTest {
    @Test
    void everyEffectNamesAPhantomStructureOnceWithTheSamplersSign() {
        Set<String> seen = new HashSet<>();
        for (PlantedEffect e : PlantedEffects.ALL) {
            assertTrue(PhantomStructures.LABELS.containsValue(e.structure()), e.structure());
            assertTrue(seen.add(e.structure() + "/" + e.metric()), "duplicate " + e);
            assertTrue(e.perYear() != 0, e.toString());
        }
        assertEquals(15, PlantedEffects.ALL.size());
        // Directions of the TotalSegmentator aging study, as AnatomySampler plants them.
        for (PlantedEffect e : PlantedEffects.ALL) {
            assertEquals(e.structure().equals("aorta") ? 1 : -1, e.sign(), e.structure());
        }
        assertEquals(100 * AnatomySampler.KIDNEY_VOLUME_PER_YEAR, find("kidney_left").perYear(), 1e-12);
        assertEquals(200 * AnatomySampler.AORTA_RADIUS_PER_YEAR, find("aorta").perYear(), 1e-12);
        assertEquals(AnatomySampler.AUTOCHTHON_HU_PER_YEAR, find("autochthon_right").perYear(), 1e-12);
    }

    @Test
    void structuresFlaggedAsCrossingTheFieldOfViewTouchTheBorderInEveryExamAndOnlyThey() {
        List<String> crossing = PlantedEffects.structuresCrossingFieldOfView();
        assertEquals(List.of("aorta", "autochthon_left", "autochthon_right"), crossing);
        PhantomGenerator g = new PhantomGenerator(3);
        Set<String> notAlwaysTouching = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            for (StructureTruth t : g.truthOnly(i).truth()) {
                if (crossing.contains(t.structure())) {
                    assertTrue(t.touchesBorder(), "exam " + i + ": " + t.structure() + " inside the field of view");
                } else if (!t.touchesBorder()) {
                    notAlwaysTouching.add(t.structure());
                }
            }
        }
        for (PlantedEffect e : PlantedEffects.ALL) {
            if (!e.crossesFieldOfView()) {
                assertTrue(notAlwaysTouching.contains(e.structure()), e.structure() + " touched the border in every exam");
            }
        }
    }

    private static PlantedEffect find(String structure) {
        return PlantedEffects.ALL.stream().filter(e -> e.structure().equals(structure)).findFirst().orElseThrow();
    }
}
