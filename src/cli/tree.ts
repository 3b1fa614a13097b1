/**
 * ASCII trees as amtool prints routes (xlab/treeprint v1.2.0, used by upstream cli/routing.go):
 * a "." root, then one line per node with ├── / └── edges and "│   " links.
 */
export interface TreeNode {
  label: string;
  children: TreeNode[];
}

export function renderTree(roots: TreeNode[]): string {
  let out = '.\n';
  const walk = (nodes: TreeNode[], prefix: string): void => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      out += `${prefix}${last ? '└──' : '├──'} ${n.label}\n`;
      walk(n.children, prefix + (last ? '    ' : '│   '));
    });
  };
  walk(roots, '');
  return out;
}
