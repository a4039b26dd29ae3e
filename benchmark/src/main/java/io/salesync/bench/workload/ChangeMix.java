package io.salesync.bench.workload;

import java.util.SplittableRandom;

/**
 * Proportions of inserts, updates (corrections) and deletes, for example 70:20:10. An update or a
 * delete needs a live sale; when a branch has none yet, an insert is made instead.
 */
public record ChangeMix(int inserts, int updates, int deletes) {

    /** What one change does. */
    public enum Op {
        INSERT,
        UPDATE,
        DELETE
    }

    public ChangeMix {
        if (inserts < 0 || updates < 0 || deletes < 0 || inserts + updates + deletes == 0) {
            throw new IllegalArgumentException("--mix needs three non-negative parts that are not all zero");
        }
        if (inserts == 0) {
            throw new IllegalArgumentException("--mix needs some inserts: updates and deletes need sales to change");
        }
    }

    /** Parses {@code I:U:D}. */
    public static ChangeMix parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "--mix takes inserts:updates:deletes such as 70:20:10, not '" + text + "'");
        }
        try {
            return new ChangeMix(
                    Integer.parseInt(parts[0].trim()),
                    Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mix takes whole numbers such as 70:20:10, not '" + text + "'");
        }
    }

    /** Draws the next operation; {@code liveSales} is how many sales the branch could change. */
    public Op next(SplittableRandom random, int liveSales) {
        int draw = random.nextInt(inserts + updates + deletes);
        if (draw < inserts || liveSales == 0) {
            return Op.INSERT;
        }
        return draw < inserts + updates ? Op.UPDATE : Op.DELETE;
    }

    @Override
    public String toString() {
        return inserts + ":" + updates + ":" + deletes;
    }
}
