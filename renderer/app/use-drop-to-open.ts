import { useEffect } from 'react';
import { bridge } from '../api/client';
import { useData } from '../store/data-store';
import { useNav } from '../store/nav-store';

/**
 * Drag-and-drop of .parquet files or folders onto the window (Electron only: a web page never
 * learns a dropped file's path, so browser mode uses the path field and folder browser).
 */
export function useDropToOpen(): void {
  const open = useData((s) => s.open);
  const go = useNav((s) => s.go);
  useEffect(() => {
    if (!bridge) return;
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      const files = Array.from(e.dataTransfer?.files ?? []);
      const paths = files.map((f) => bridge!.pathForFile(f)).filter(Boolean);
      if (paths.length) {
        go('data');
        void open(paths);
      }
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [open, go]);
}
