/**
 * The numbers Li et al. (2020) report, typed, from the paper text (sections 4.1–4.2): their own rows
 * of Tables 1–8 and the other methods' reported accuracies in Tables 4–8. Nothing here is measured
 * by us; the report functions print these beside our measured values.
 *
 * @example
 * ```ts
 * import { PAPER_TABLES } from "./paper_numbers.ts";
 * PAPER_TABLES.table5.rows.find((r) => r.key === "full")?.accuracy; // 98.68
 * ```
 * @module
 */

/** Table ids of the paper. */
export const TABLE_IDS = ["table1", "table2", "table3", "table4", "table5", "table6", "table7", "table8"] as const;

/** One table id. */
export type TableId = typeof TABLE_IDS[number];

/** One reported row: accuracy in percent as printed in the paper. */
export interface PaperRow {
  /** Stable key; our experiment configs name it in `paperRow`. */
  key: string;
  /** The row's text in the paper. */
  label: string;
  accuracy: number;
  /** True for the authors' own model and its ablations; false for other methods they cite. */
  ours: boolean;
  /** Citation number in the paper's reference list, for other methods. */
  ref?: number;
}

/** One table of the paper. */
export interface PaperTable {
  id: TableId;
  title: string;
  /** Dataset name as the toolkit's loaders call it. */
  dataset: "fer2013" | "ckplus" | "oulu" | "jaffe" | "ncufe";
  /** What the paper says about the evaluation protocol. */
  protocol: string;
  rows: PaperRow[];
  /** Caveats about the extracted text. */
  note?: string;
}

const own = (key: string, label: string, accuracy: number): PaperRow => ({ key, label, accuracy, ours: true });
const other = (key: string, label: string, accuracy: number, ref?: number): PaperRow => ({
  key,
  label,
  accuracy,
  ours: false,
  ...(ref !== undefined ? { ref } : {}),
});

const FER_PROTOCOL = "FER2013 Training → test split (28,709 train / 3,589 test images)";
const KFOLD = "5-fold cross-validation (the paper does not say whether folds are subject-independent)";

/** All eight tables as printed. */
export const PAPER_TABLES: Record<TableId, PaperTable> = {
  table1: {
    id: "table1",
    title: "Table 1. Comparison of different LBPs on FER2013",
    dataset: "fer2013",
    protocol: FER_PROTOCOL,
    rows: [
      own("original-lbp", "Original LBP", 72.56),
      own("uniform-lbp", "Uniform LBP", 70.32),
      own("circle-lbp", "Circle LBP", 75.82),
      own("no-lbp", "Without LBP", 67.73),
    ],
  },
  table2: {
    id: "table2",
    title: "Table 2. Comparison of different architectures on FER2013",
    dataset: "fer2013",
    protocol: FER_PROTOCOL,
    rows: [
      own("no-feature-extraction", "Without the feature extraction module", 57.86),
      own("no-attention", "Without the attention module", 73.96),
      own("no-reconstruction", "Without the reconstruction module", 74.25),
      own("complete", "Complete network", 75.82),
    ],
  },
  table3: {
    id: "table3",
    title: "Table 3. Dilation rates of the reconstruction module on FER2013",
    dataset: "fer2013",
    protocol: FER_PROTOCOL,
    rows: [
      own("A", "A (1)", 74.83),
      own("B", "B (2)", 73.91),
      own("C", "C (3)", 75.52),
      own("D", "D (4)", 74.31),
      own("E", "E (2, 3, 4, 5)", 75.82),
    ],
  },
  table4: {
    id: "table4",
    title: "Table 4. Comparison of different methods on FER2013",
    dataset: "fer2013",
    protocol: FER_PROTOCOL,
    rows: [
      other("wang", "Wang [22]", 71.1, 22),
      other("pramerdorfer", "Pramerdorfer et al. [46]", 75.2, 46),
      other("kim", "Kim et al. [45]", 73.73, 45),
      other("guo", "Guo et al. [44]", 71.33, 44),
      other("shao", "Shao et al. [34]", 71.14, 34),
      own("full", "Ours", 75.82),
      own("no-lbp", "Ours (without LBP)", 67.73),
      own("no-attention", "Ours (without attention module)", 73.96),
    ],
  },
  table5: {
    id: "table5",
    title: "Table 5. Comparison of different methods on CK+",
    dataset: "ckplus",
    protocol: `${KFOLD}; six expressions, last three frames of each sequence`,
    rows: [
      other("vgg-lstm", "VGG Net + LSTM [37]", 97.2, 37),
      other("yang", "Yang et al. [39]", 97.3, 39),
      other("zhang", "Zhang et al. [41]", 98.9, 41),
      other("turan", "Turan [24]", 96.10, 24),
      other("shao", "Shao et al. [34]", 95.29, 34),
      own("full", "Ours", 98.68),
      own("no-lbp", "Ours (Without LBP)", 97.53),
      own("no-attention", "Ours (Without the attention module)", 97.10),
    ],
  },
  table6: {
    id: "table6",
    title: "Table 6. Comparison of different methods on Oulu-CASIA",
    dataset: "oulu",
    protocol: `${KFOLD}; six expressions, last three frames of each sequence`,
    note: "The method names of the first four rows are missing from the paper text we have; the values are as printed.",
    rows: [
      other("other-1", "Other method, row 1 (name missing in the text)", 93.06),
      other("other-2", "Other method, row 2 (name missing in the text)", 88.00),
      other("other-3", "Other method, row 3 (name missing in the text)", 86.95),
      other("other-4", "Other method, row 4 (name missing in the text)", 88.75),
      own("full", "Ours", 94.63),
      own("no-lbp", "Ours (without LBP)", 93.52),
      own("no-attention", "Ours (without attention module)", 91.17),
    ],
  },
  table7: {
    id: "table7",
    title: "Table 7. Comparison of different methods on JAFFE",
    dataset: "jaffe",
    protocol: `${KFOLD}; 213 images, 10 subjects`,
    rows: [
      other("hamester", "Hamester et al. [35]", 95.8, 35),
      other("liu", "Liu et al. [31]", 91.8, 31),
      other("turan", "Turan [24]", 91.8, 24),
      other("wang", "Wang [22]", 95.7, 22),
      own("full", "Ours", 98.52),
      own("no-lbp", "Ours (Without LBP)", 96.53),
      own("no-attention", "Ours (Without the attention module)", 95.12),
    ],
  },
  table8: {
    id: "table8",
    title: "Table 8. Comparison of different methods on NCUFE",
    dataset: "ncufe",
    protocol: `${KFOLD}; RGB images, three near-peak frames per sequence`,
    rows: [
      other("li", "Li et al. [38]", 91.58, 38),
      other("arriaga", "Arriaga et al. [33]", 81.3, 33),
      other("light-cnn", "Light-CNN [34]", 82.5, 34),
      own("full", "Ours", 94.33),
      own("no-lbp", "Ours (Without LBP)", 93.91),
      own("no-attention", "Ours (Without attention module)", 92.07),
      own("raw-depth", "Ours (raw + depth)", 90.35),
    ],
  },
};
